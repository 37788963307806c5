"""The fund ledger in a real browser: an accountant reads the funds, posts an entry from the
form, opens it and reverses it."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase


class LedgerTest(BrowserTestCase):
    def test_post_and_reverse_an_entry(self):
        self.log_in("accountant")
        self.open("/ledger")
        funds = self.find("funds-table").text
        self.assertIn("企业职工基本养老保险基金", funds)
        self.shot("ledger-funds")

        self.click_and_wait("ledger-new")
        Select(self.find("entry-fund-select")).select_by_value("maternity")
        self.find("entry-memo-input").send_keys("浏览器测试：存款利息")
        Select(self.find("account0")).select_by_value("special_deposit")
        self.find("debit0").send_keys("88.80")
        Select(self.find("account1")).select_by_value("interest_income")
        self.find("credit1").send_keys("88.80")
        self.shot("ledger-new")
        self.click_and_wait("entry-submit")
        self.assertEqual(self.find("entry-memo").text, "浏览器测试：存款利息")
        self.assertIn("88.80", self.find("lines-table").text)
        self.shot("ledger-entry")

        self.find("reversal-reason").send_keys("浏览器测试：冲正")
        self.click_and_wait("reversal-submit")
        self.find("entry-reverses")
        self.assertFalse(self.driver.find_elements(By.ID, "reversal-form"))

        self.open("/ledger")
        self.click_and_wait("ledger-verify")
        self.assertNotIn("error", self.find("ledger-verification").get_attribute("class"))


if __name__ == "__main__":
    unittest.main()
