"""A dibao application from the counter to its first payment through the pages, on a training
installation (`serve --demo --training-clock`, whose administrator moves the simulated date on):
a town clerk opens, surveys, appraises and reviews it; the district reviewer — who neither opened
nor surveyed it — approves it onto the notice board; the administrator moves the clock past the
7-day notice; the town clerk grants it; a district clerk computes next month's payroll, the
reviewer approves it and the fund accountant posts it; the household's page then shows the month
paid. Run by CI against its own training server, apart from the main suite."""
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class DibaoToPaymentTest(BrowserTestCase):
    def test_an_application_reaches_its_first_payment(self):
        self.log_in("xinqiao")
        self.open("/households")
        households = [a.get_attribute("href") for a in self.find("households-table").find_elements(By.CSS_SELECTOR, "tbody a")
                      if "/households/" in a.get_attribute("href")]
        # A household of the town's with no grant and no application under way (the main suite's
        # dibao test takes the last one).
        for household in households[len(households) // 2:-1]:
            self.driver.get(household)
            head = next(row for row in self.find("members-table").find_elements(By.CSS_SELECTOR, "tbody tr") if "户主" in row.text)
            self.click_element_and_wait(head.find_element(By.TAG_NAME, "a"))
            person_url = self.driver.current_url.split("?")[0]
            if not self.driver.find_elements(By.ID, "dibao-link") or self.driver.find_elements(By.ID, "dibao-grants"):
                continue
            self.click_and_wait("dibao-link")
            self.find("claim-monthlyIncome").send_keys("0")
            Select(self.find("claim-paymentPoint")).select_by_index(0)
            self.find("claim-account").send_keys("6222000012345678")
            self.click_and_wait("claim-compute")
            if not self.driver.find_elements(By.ID, "claim-open"):
                continue
            self.click_and_wait("claim-open")
            if "/cases/" in self.driver.current_url:
                break
        else:
            self.fail("no household could apply")
        case_url = self.driver.current_url.split("?")[0]
        self.add_document("income_survey")
        self.click_and_wait("move-survey")
        self.add_document("appraisal_record")
        self.find("note-appraise").send_keys("村民代表评议一致同意")
        self.click_and_wait("move-appraise")
        self.click_and_wait("move-review")
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])

        self.switch_to("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        self.assertIn("公示", self.find("case-state").text)

        # The grant waits for the notice to run.
        self.switch_to("xinqiao")
        self.driver.get(case_url)
        self.click_and_wait("move-grant")
        self.assertIn("公示", self.find("case-problem").text)

        self.switch_to("admin")
        self.open("/admin/users")
        before = self.find("training-date").text
        self.find("clock-days").clear()
        self.find("clock-days").send_keys("8")
        self.click_and_wait("clock-advance")
        self.assertIn("模拟日期已拨至", self.find("users-notice").text)
        self.assertNotEqual(before, self.find("training-date").text)
        today = re.search(r"\d{4}-\d{2}-\d{2}", self.find("training-date").text).group(0)
        self.snap("training-clock")

        self.switch_to("xinqiao")
        self.driver.get(case_url)
        self.click_and_wait("move-grant")
        self.assertIn("已批准", self.find("case-state").text)
        self.driver.get(person_url)
        grant = self.find("dibao-grants").find_elements(By.CSS_SELECTOR, "tbody tr")[0].find_elements(By.TAG_NAME, "td")
        first_month = grant[2].text
        year, month = int(today[:4]), int(today[5:7])
        self.assertEqual(first_month, f"{year + month // 12}-{month % 12 + 1:02d}")

        self.switch_to("district")
        self.open("/runs")
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find("run-period"), first_month)
        Select(self.find("run-kind")).select_by_value("benefits.payroll")
        self.click_and_wait("run-start")
        run_url = self.driver.current_url
        self.wait_for_run(120)

        self.switch_to("reviewer")
        self.driver.get(run_url)
        self.click_and_wait("run-approve")

        self.switch_to("accountant")
        self.driver.get(run_url)
        self.click_and_wait("run-post")
        self.assertEqual(self.driver.find_elements(By.ID, "run-post"), [])

        self.switch_to("xinqiao")
        self.driver.get(person_url)
        grant = self.find("dibao-grants").find_elements(By.CSS_SELECTOR, "tbody tr")[0].find_elements(By.TAG_NAME, "td")
        self.assertEqual(grant[3].text, first_month)
        self.snap("dibao-paid", at="dibao-grants")


if __name__ == "__main__":
    unittest.main()
