"""The disabled-employment levy in a real browser: the district clerk issues the year's bills from
the levy page — every unit with staff is counted, and the page says how many were billed and how
many met the quota or were exempt; issuing again bills nobody twice. (The payment of a bill is
driven on both databases and in CI's command-line section, where the demo has units below quota.)"""
import re
import unittest

from shebao_browser import BrowserTestCase



class LevyTest(BrowserTestCase):
    def test_the_years_bills_are_issued_once(self):
        self.log_in("district")
        self.open("/assistance")
        self.click_and_wait("levy-link")
        self.click_and_wait("levy-issue")
        notice = self.find("levy-notice").text
        units, issued, before, none = (int(n) for n in re.findall(r"\d+", notice)[:4])
        self.assertGreater(units, 0)
        self.assertEqual(units, issued + before + none)
        rows = [row for row in self.find("levy-table").text.split("\n")[1:] if "还没有" not in row]
        self.assertEqual(len(rows), issued + before)
        self.snap("levy-issued")
        self.click_and_wait("levy-issue")
        self.assertEqual(int(re.findall(r"\d+", self.find("levy-notice").text)[1]), 0)


if __name__ == "__main__":
    unittest.main()
