"""A rural scheme hospital claim in a real browser: the demo's checked claim, handled by the
contracted insurer, is approved by the reviewer — not by the clerk who checked it — and its
facts show the scheme's share; on the patient's page the claim form computes the scheme's share
by the hospital's level with its grounds."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class NcmsClaimTest(BrowserTestCase):
    def test_a_checked_claim_is_approved_by_the_reviewer(self):
        self.log_in("district")
        self.open("/cases?type=assistance.ncms_claim")
        # The list holds every kind of case awaiting approval (a relief case reads the same): the
        # first whose facts are a hospital stay's.
        waiting = [row.find_element(By.TAG_NAME, "a").get_attribute("href") for row in self.driver.find_elements(By.CSS_SELECTOR, "tbody tr")
                   if "待复核批准" in row.text]
        for href in waiting:
            self.driver.get(href)
            facts = self.find("case-facts").text
            if "大病统筹补偿" in facts:
                break
        case_url = self.driver.current_url.split("?")[0]
        self.assertIn("受托商业保险公司", facts)
        self.assertIn("大病统筹补偿", facts)
        # The clerk who checked it cannot approve it.
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])
        self.driver.delete_all_cookies()

        self.log_in("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        self.assertIn("已批准", self.find("case-state").text)
        self.snap("ncms-claim-approved")
        self.driver.delete_all_cookies()

        self.log_in("district")
        self.driver.get(case_url)
        self.click_element_and_wait(self.find("case-facts").find_element(By.TAG_NAME, "a"))
        self.click_and_wait("ncms-claim-link")
        Select(self.find("claim-institution")).select_by_index(0)
        self.find("claim-admittedOn").send_keys("2026-11-02")
        self.find("claim-dischargedOn").send_keys("2026-11-09")
        self.find("claim-totalCost").send_keys("9000.00")
        self.find("claim-eligibleCost").send_keys("8000.00")
        Select(self.find("claim-handler")).select_by_value("office")
        Select(self.find("claim-paymentPoint")).select_by_index(0)
        self.find("claim-account").send_keys("6222000077771111")
        self.click_and_wait("claim-compute")
        self.assertIn("新农合起付线", self.find("explain-parameters").text)
        self.snap("ncms-claim-computed")


if __name__ == "__main__":
    unittest.main()
