"""Cases and batch runs in a real browser: a town clerk opens the correction of a resident ID and
checks the documents, a reviewer approves it and the person carries the new number; a district
clerk starts the monthly registry census, a reviewer approves it, the clerk posts it."""
import random
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def resident_id(body):
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


class WorkflowTest(BrowserTestCase):
    def log_out(self):
        self.find("logout").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "username")))

    def test_id_correction_from_the_person_to_the_reviewer(self):
        self.log_in("xinqiao")
        self.open("/persons")
        self.find("persons-table").find_element(By.CSS_SELECTOR, "tbody tr a").click()
        person_url = self.driver.current_url
        old_id = self.find("person-resident-id").text
        new_id = resident_id("331004" + "19650115" + f"{random.randrange(100, 999)}")

        self.find("correct-id").click()
        self.find("f-correctedID").send_keys(new_id)
        self.click_and_wait("record-save")
        case_url = self.driver.current_url
        self.assertIn("/cases/", case_url)
        self.assertIn(new_id, self.find("case-facts").text)

        # Without the documents the step is refused, with the reason on the page.
        self.click_and_wait("move-verify")
        self.assertIn("公安", self.find("case-problem").text)

        for kind, reference in [("police_certificate", "公(2026)浏览器 1 号"), ("household_register", "户口簿 浏览器")]:
            Select(self.find("document-kind")).select_by_value(kind)
            self.find("document-reference").send_keys(reference)
            self.click_and_wait("document-add")
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#documents-table tbody tr")), 2)
        self.click_and_wait("move-verify")
        # The clerk who checked may not approve: there is no such button for them.
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])
        self.snap("case-verified")
        self.log_out()

        self.log_in("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        # Who took each step, by name (never the login).
        self.assertIn("新桥镇经办 陈磊", self.find("steps-table").text)
        self.assertIn("复核 郑伟", self.find("steps-table").text)
        self.snap("case-approved")
        self.driver.get(person_url)
        self.assertEqual(self.find("person-resident-id").text, new_id)
        self.assertNotEqual(old_id, new_id)
        self.assertIn(old_id, self.find("history-table").text)

    def test_census_run_started_approved_and_posted(self):
        self.log_in("district")
        self.open("/runs")
        period = f"{random.randrange(2016, 2026)}-{random.randrange(1, 13):02d}"
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find("run-period"), period)
        Select(self.find("run-kind")).select_by_value("registry.census")
        self.click_and_wait("run-start")
        run_url = self.driver.current_url
        self.assertIn("/runs/", run_url)
        # The page refreshes itself while chunks are computed.
        self.wait_for_run(60)
        self.driver.get(run_url)
        output = self.find("run-output")
        self.assertGreater(len(output.find_elements(By.CSS_SELECTOR, "tbody tr")), 0)
        self.assertEqual(self.driver.find_elements(By.ID, "run-approve"), [])
        self.snap("run-computed")
        self.log_out()

        self.log_in("reviewer")
        self.driver.get(run_url)
        self.click_and_wait("run-approve")
        self.log_out()

        self.log_in("district")
        self.driver.get(run_url)
        self.click_and_wait("run-post")
        self.assertEqual(self.driver.find_elements(By.ID, "run-post"), [])
        self.snap("run-posted")
        self.open("/runs")
        self.assertIn(period, self.find("runs-table").text)


if __name__ == "__main__":
    unittest.main()
