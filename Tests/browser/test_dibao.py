"""The minimum living guarantee in a real browser, by three people: a town clerk opens a
household's application from the head's page (the amount computed and explained), surveys it and
records the community's appraisal and the town's review; the district reviewer approves it and it
goes on the notice board, which anyone reads without logging in — the name masked, no ID number;
the district clerk records an objection, and the grant waits for the notice to run. A refused
application's written notice, with its reasons, is printed from the applicant's page."""
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class DibaoTest(BrowserTestCase):
    def test_an_application_goes_from_the_counter_to_the_notice_board(self):
        self.log_in("xinqiao")
        self.open("/households")
        links = self.find("households-table").find_elements(By.CSS_SELECTOR, "tbody a")
        links[-1].click()
        head = next(row for row in self.find("members-table").find_elements(By.CSS_SELECTOR, "tbody tr") if "户主" in row.text)
        name = head.find_element(By.TAG_NAME, "a").text
        head.find_element(By.TAG_NAME, "a").click()
        self.find("dibao-link").click()
        self.find("claim-monthlyIncome").send_keys("120.00")
        Select(self.find("claim-paymentPoint")).select_by_index(0)
        self.find("claim-account").send_keys("6222000077778888")
        self.click_and_wait("claim-compute")
        self.assertIn("低保标准（", self.find("explain-parameters").text)
        self.assertNotIn("dibao.standard", self.find("explanation").text)
        self.snap("dibao-computed")
        self.click_and_wait("claim-open")
        case_url = self.driver.current_url.split("?")[0]
        self.assertIn("/cases/", case_url)
        self.add_document("income_survey")
        self.click_and_wait("move-survey")
        self.add_document("appraisal_record")
        self.find("note-appraise").send_keys("社区评议到会 9 人，一致同意")
        self.click_and_wait("move-appraise")
        self.click_and_wait("move-review")
        # The clerk cannot approve; the district's reviewer does.
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])
        self.driver.delete_all_cookies()

        self.log_in("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        self.assertIn("公示", self.find("case-state").text)
        self.snap("dibao-notice")
        self.driver.delete_all_cookies()

        # Anyone reads the board: the name masked, never an ID number.
        self.open("/portal/notices")
        page = self.driver.page_source
        masked = name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"
        self.assertIn(masked, page)
        self.assertNotIn(name, page)
        self.assertIsNone(re.search(r"[0-9]{17}[0-9Xx]", page))
        # The demo's students on notice for education aid share the boards.
        self.assertIn("助学金公示", page)
        self.snap("dibao-board")

        self.log_in("district")
        self.driver.get(case_url)
        self.find("objection-by").send_keys("邻居（电话反映）")
        self.find("objection-content").send_keys("家中有出租房收入")
        self.click_element_and_wait(self.driver.find_element(By.CSS_SELECTOR, "#objection-form button[type=submit]"))
        self.assertIn("家中有出租房收入", self.find("objections-table").text)
        self.click_and_wait("move-grant")
        self.assertIn("公示", self.find("case-problem").text)
        self.snap("dibao-objection", at="objections-table")

    def test_a_refusal_is_printed_with_its_reasons(self):
        self.log_in("district")
        self.open("/cases?type=assistance.dibao")
        row = next(row for row in self.driver.find_elements(By.CSS_SELECTOR, "tbody tr") if "不予批准" in row.text)
        row.find_element(By.TAG_NAME, "a").click()
        self.find("case-facts").find_element(By.TAG_NAME, "a").click()
        self.find("dibao-refused").find_element(By.CSS_SELECTOR, "a[href$='/refusal']").click()
        letter = self.find("refusal-letter").text
        self.assertIn("不予批准", letter)
        self.assertIn("经营性收入", letter)
        self.assertIn("行政复议", letter)
        self.snap("dibao-refusal")


if __name__ == "__main__":
    unittest.main()
