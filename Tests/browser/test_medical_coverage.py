"""A struggling enterprise's staff insured for inpatient pooling only, in a real browser: the
district clerk finds the demo's two struggling units on the medical page, proposes full coverage
again for the one under inpatient pooling (a month already past refused beside the form), and
the reviewer — not the clerk — rejects the other's proposal without a reason (refused), then
approves it."""
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class MedicalCoverageTest(BrowserTestCase):
    def units(self):
        """The coverage table's rows on the medical page: (unit page, state)."""
        self.open("/benefits/medical")
        rows = self.find("coverage-units-table").find_elements(By.CSS_SELECTOR, "tbody tr")
        found = []
        for row in rows:
            link = row.find_element(By.TAG_NAME, "a").get_attribute("href")
            found.append((re.search(r"(/employers/\d+/insurance)", link).group(1), row.text))
        return found

    def test_a_clerk_proposes_and_a_reviewer_decides(self):
        self.log_in("district")
        units = self.units()
        self.assertEqual(len(units), 2)
        approved = next(path for path, text in units if "已批准" in text)
        waiting = next(path for path, text in units if "待审批" in text)
        self.snap("medical-coverage-units", at="coverage-units-table")

        self.open(approved)
        self.assertIn("仅参加住院医疗费统筹", self.find("coverage-in-force").text)
        self.assertIn("企业资产变现", self.find("coverage-table").text)
        self.driver.execute_script("document.querySelector('#h-coverage ~ details').open = true")
        Select(self.find("coverage-kind")).select_by_value("full")
        self.find("coverage-from").clear()
        self.find("coverage-from").send_keys("2020-01")
        self.find("coverage-note").send_keys("恢复生产，申请恢复全部待遇")
        self.click_and_wait("coverage-submit")
        # Told beside the month, the form left open with what was typed.
        self.assertIn("最早只能从", self.find("e-from").text)
        self.assertEqual(self.find("coverage-note").get_attribute("value"), "恢复生产，申请恢复全部待遇")
        self.find("coverage-from").clear()
        self.find("coverage-from").send_keys("2027-01")
        self.click_and_wait("coverage-submit")
        self.assertIn("等待复核人员批准", self.find("unit-notice").text)
        # The proposer has no decision form.
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form.coverage-decision"), [])
        self.snap("medical-coverage-proposed", at="coverage-table")

        self.driver.delete_all_cookies()
        self.log_in("reviewer")
        self.open(waiting)
        forms = self.driver.find_elements(By.CSS_SELECTOR, "form.coverage-decision")
        self.assertEqual(len(forms), 1)
        self.snap("medical-coverage-decide", at="coverage-table")
        forms[0].find_element(By.CSS_SELECTOR, "button[value=reject]").click()
        self.assertIn("退回时请写明理由", self.find("unit-problem").text)
        form = self.driver.find_element(By.CSS_SELECTOR, "form.coverage-decision")
        form.find_element(By.NAME, "note").send_keys("主管部门承诺函齐全")
        form.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        self.assertIn("已批准", self.find("unit-notice").text)
        self.assertIn("主管部门", self.find("coverage-table").text)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form.coverage-decision"), [])


if __name__ == "__main__":
    unittest.main()
