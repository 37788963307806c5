"""The policy book and the rules in a real browser: a clerk tries the dibao rule on both sides of
the 2004 standard and reads why; proposes a future standard; a reviewer approves it."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase


class PolicyTest(BrowserTestCase):
    def set_value(self, element_id, value):
        # Month and date inputs take their value in ISO form whatever the browser's locale.
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find(element_id), value)

    def dibao(self, period):
        self.open("/calculate/dibao-benefit")
        self.set_value("f-period", period)
        Select(self.find("f-areaType")).select_by_value("street")
        for field, value in (("f-householdSize", "3"), ("f-monthlyIncome", "300")):
            box = self.find(field)
            box.clear()
            box.send_keys(value)
        self.find("rule-submit").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "explanation")))
        return self.find("result-table").text, self.find("explain-parameters").text

    def test_the_standard_in_force_decides_and_says_why(self):
        self.log_in("district")
        december, december_parameters = self.dibao("2003-12")
        january, january_parameters = self.dibao("2004-01")
        self.assertIn("240.00", december)
        self.assertIn("330.00", january)
        self.assertIn("1997-07-01", december_parameters)
        self.assertIn("2004-01-01", january_parameters)
        self.assertIn("2520", january_parameters)

    def test_out_of_range_is_refused_and_short_service_gets_alternatives(self):
        self.log_in("district")
        self.open("/calculate/dibao-benefit")
        box = self.find("f-householdSize")
        box.clear()
        box.send_keys("1000000000000000")
        self.find("rule-submit").click()
        # Beside the field, by its label, with the bounds (issue 14: never the input's name, never below the form).
        self.assertIn("家庭人数", self.find("e-householdSize").text)
        self.assertIn("1 至 30", self.find("e-householdSize").text)
        self.assertEqual(self.driver.find_elements(By.ID, "rule-problem"), [])

        self.open("/calculate/pension-award")
        self.set_value("f-retirementDate", "2024-07-01")
        for field, value in (("f-contributionMonths", "100"), ("f-monthsBefore1998", "0")):
            box = self.find(field)
            box.clear()
            box.send_keys(value)
        self.find("rule-submit").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "explanation")))
        result = self.find("result-table").text
        self.assertIn("继续缴费", result)
        self.assertIn("一次性领取个人账户储存额", result)
        self.assertIn("86,543.21", result)

    def test_a_future_standard_is_proposed_by_one_and_approved_by_another(self):
        self.log_in("district")
        self.open("/policy/new?key=dibao.standard.town")
        self.set_value("f-validFrom", "2035-01-01")
        self.find("f-value").send_keys("1,500.00")
        self.find("f-legalBasis").send_keys("浏览器测试：区政府通知")
        self.find("record-save").click()
        self.wait.until(EC.url_contains("/policy/pending"))
        row = [r for r in self.driver.find_elements(By.CSS_SELECTOR, "#pending-table tbody tr") if "2035-01-01" in r.text][0]
        proposal_id = row.find_elements(By.TAG_NAME, "td")[0].text.lstrip("#")
        # The one who proposed it has no approve button.
        self.assertEqual(self.driver.find_elements(By.ID, "approve-" + proposal_id), [])

        self.driver.delete_all_cookies()
        self.log_in("reviewer")
        self.open("/policy/pending")
        self.find("approve-" + proposal_id).click()
        self.wait.until(EC.url_contains("done=approved"))
        self.open("/policy/keys/dibao.standard.town")
        self.assertIn("2035-01-01", self.find("history-table").text)


if __name__ == "__main__":
    unittest.main()
