"""The pension award in a real browser: a district clerk computes a demo person's award from the
archive's figures (the retirement-age rule naming the earliest month allowed), opens the case and
checks the archive; a reviewer approves it and the person's page shows the pension being paid."""
import datetime
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase

FIGURES = "averageIndex=0.85&deemedMonths=240&monthsBefore1998=120&category=female_worker"


class BenefitsTest(BrowserTestCase):
    def test_a_pension_is_awarded_by_one_and_approved_by_another(self):
        self.log_in("district")
        # The district's day is China's (UTC+8).
        china = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
        today = china.strftime("%Y-%m")
        horizon = (china + datetime.timedelta(days=300)).strftime("%Y-%m")
        # The first demo person who may retire in the coming months, by the rule's earliest month.
        for person in range(1, 400):
            self.open(f"/persons/{person}/pension-award?retirementDate=2000-01-01&{FIGURES}")
            # The earliest month is told beside the retirement date (or above the form when no field is at fault).
            problem = self.driver.find_elements(By.CSS_SELECTOR, "#e-retirementDate, #award-problem")
            found = re.search(r"(\d{4}-\d{2})", problem[0].text) if problem else None
            if found and today <= found.group(1) <= horizon:
                month = found.group(1)
                break
        else:
            self.fail("no demo person may retire within the year")
        self.open(f"/persons/{person}/pension-award?retirementDate={month}-01&{FIGURES}")
        facts = self.find("award-facts").text
        self.assertIn("月养老金合计", facts)
        self.assertTrue(self.driver.find_elements(By.ID, "award-explain"))
        self.snap("pension-award")
        self.click_and_wait("award-open")
        case_url = self.driver.current_url
        self.assertIn("/cases/", case_url)
        for kind in ["archive", "identity_card"]:
            Select(self.find("document-kind")).select_by_value(kind)
            self.find("document-reference").send_keys("档案室调取的材料")
            self.click_and_wait("document-add")
        self.click_and_wait("move-check")
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])
        self.driver.delete_all_cookies()

        self.log_in("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        self.snap("pension-award-approved")
        self.open(f"/persons/{person}")
        self.assertIn("月养老金", self.find("pension-facts").text)
        self.open("/benefits/pensions")
        self.assertIn(f"/persons/{person}", self.driver.page_source)
        self.snap("pensions")


if __name__ == "__main__":
    unittest.main()
