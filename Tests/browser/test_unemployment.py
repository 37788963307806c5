"""Unemployment spells in a real browser: a district clerk sees the demo's couple both out of work
(each flagged), opens the husband's page and computes a training subsidy — the invoiced cost capped
at the standard, explained — and opens the case; the reviewer sees the spells but no way to refer
a spell still receiving."""
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class UnemploymentTest(BrowserTestCase):
    def test_the_couple_is_flagged_and_a_training_subsidy_is_capped(self):
        self.log_in("district")
        self.open("/benefits/unemployment")
        spells = self.find("spells-table")
        self.assertEqual(spells.text.count("夫妻双方失业"), 2)
        self.assertIn("领取中", spells.text)
        self.snap("unemployment-spells")
        rows = spells.find_elements(By.CSS_SELECTOR, "tbody tr")
        people = [re.search(r"/persons/(\d+)", row.find_element(By.TAG_NAME, "a").get_attribute("href")).group(1) for row in rows]
        for person in people:
            self.open(f"/persons/{person}")
            if not self.driver.find_elements(By.ID, "subsidy-link"):
                continue
            self.click_and_wait("subsidy-link")
            Select(self.find("claim-kind")).select_by_value("training")
            self.find("claim-provider").send_keys("路桥区职业技能培训中心")
            self.find("claim-cost").send_keys("2000.00")
            self.find("claim-account").send_keys("6222020200112233445")
            self.click_and_wait("claim-compute")
            # The demo's husband has a subsidy case open already: the page says so and offers no way to open another.
            if self.driver.find_elements(By.ID, "claim-open"):
                break
            self.assertIn("已有办理中的补贴", self.find("claim-problem").text)
        else:
            self.fail("nobody registered unemployed may be given a subsidy")
        self.assertIn("1,200.00", self.find("explanation").text)
        self.snap("subsidy", at="explanation")
        self.click_and_wait("claim-open")
        self.assertIn("待核对发票", self.driver.page_source)

    def test_a_spell_still_receiving_is_not_referred(self):
        self.log_in("reviewer")
        self.open("/benefits/unemployment")
        self.assertIn("领取中", self.find("spells-table").text)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form[id^=refer-]"), [])


if __name__ == "__main__":
    unittest.main()
