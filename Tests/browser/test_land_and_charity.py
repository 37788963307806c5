"""Land-requisitioned farmers, relief and charity in a real browser. The district clerk finds the
demo's requisition with its farmers by age group and the training list, and a requisition whose
list has a bad line is refused naming the line. A fund accountant records a donation (a bad
amount refused beside the form); the clerk pairs a unit with a household and records what it
delivered; a reviewer approves the relief the clerk checked, and on that person's page the clerk
computes a second application — capped by what the year has left — and opens it. The
accountant records the transfer of a welfare home's approved construction subsidy."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class LandAndCharityTest(BrowserTestCase):
    def fill(self, element_id, text):
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find(element_id), text)

    def test_a_requisition_is_shown_and_a_bad_list_refused_by_its_line(self):
        self.log_in("district")
        self.open("/assistance")
        self.click_and_wait("land-link")
        self.assertIn("东岙村", self.find("land-table").text)
        self.assertGreater(len(self.find("land-training").find_elements(By.CSS_SELECTOR, "tbody tr")), 0)
        self.snap("land")
        self.click_element_and_wait(self.find("land-table").find_element(By.LINK_TEXT, "东岙村"))
        members = self.find("land-members").text
        for group in ["老年", "劳动年龄段", "16岁以下"]:
            self.assertIn(group, members)
        self.assertIn("东岙村", self.find("h-detail").text)
        self.snap("land-requisition")

        self.open("/assistance/land")
        self.driver.execute_script("document.querySelector('#land-form').closest('details').open = true")
        Select(self.find("land-town")).select_by_index(1)
        for element_id, text in [("land-village", "西岙村"), ("land-date", "2026-05-10"), ("land-area", "12.5"), ("land-compensation", "600000"),
                                 ("land-income", "900000"), ("land-tier", "260"), ("land-contribution", "36000"),
                                 ("land-members-input", "110101190001011234\n\n12345")]:
            self.fill(element_id, text)
        self.click_and_wait("land-submit")
        problem = self.find("e-members").text
        self.assertIn("第 1 行", problem)
        self.assertIn("第 3 行", problem)
        self.assertNotIn("西岙村", self.find("land-table").text)
        self.snap("land-refused", at="land-form")

    def test_donations_pairings_and_relief_move_through_three_users(self):
        self.log_in("accountant")
        self.open("/assistance/charity")
        self.assertIn("区工商联", self.find("donations-table").text)
        self.driver.execute_script("document.querySelector('#donation-form').closest('details').open = true")
        self.fill("donation-donor", "浏览器测试企业")
        self.fill("donation-amount", "-3")
        self.click_and_wait("donation-submit")
        self.assertIn("金额", self.find("e-amount").text)
        self.driver.execute_script("document.querySelector('#donation-form').closest('details').open = true")
        self.fill("donation-amount", "6600")
        self.click_and_wait("donation-submit")
        self.assertIn("已登记捐赠", self.find("charity-notice").text)
        self.assertIn("浏览器测试企业", self.find("donations-table").text)
        self.driver.delete_all_cookies()

        self.log_in("district")
        self.open("/assistance/charity")
        # The register of special-hardship families, with the help each received this year.
        self.assertIn("户主因病丧失劳动能力", self.find("hardship-table").text)
        self.driver.execute_script("document.querySelector('#hardship-form').closest('details').open = true")
        self.fill("hardship-household", "331004000000-9")
        self.fill("hardship-reason", "因病致困")
        self.click_and_wait("hardship-submit")
        self.assertIn("331004000000-9", self.find("e-household").text)
        self.snap("charity-hardship", at="hardship-table")
        household = self.find("paired-table").find_elements(By.CSS_SELECTOR, "tbody tr")[0].find_elements(By.TAG_NAME, "td")[2].text
        self.driver.execute_script("document.querySelector('#pair-form').closest('details').open = true")
        Select(self.find("pair-kind")).select_by_value("unit")
        self.fill("pair-helper", "浏览器测试单位")
        self.fill("pair-household", household)
        self.fill("pair-pledged", "1800")
        self.click_and_wait("pair-submit")
        self.assertIn("已登记结对", self.find("charity-notice").text)
        row = next(r for r in self.find("paired-table").find_elements(By.CSS_SELECTOR, "tbody tr") if "浏览器测试单位" in r.text)
        self.assertIn("1,800.00", row.text)
        self.snap("charity", at="paired-table")
        self.open("/cases?type=assistance.relief")
        row = next(r for r in self.driver.find_elements(By.CSS_SELECTOR, "tbody tr") if "已核对" in r.text)
        self.click_element_and_wait(row.find_element(By.TAG_NAME, "a"))
        case_url = self.driver.current_url.split("?")[0]
        self.assertEqual(self.driver.find_elements(By.ID, "move-approve"), [])
        self.driver.delete_all_cookies()

        self.log_in("reviewer")
        self.driver.get(case_url)
        self.click_and_wait("move-approve")
        self.assertIn("已批准", self.find("case-state").text)
        self.driver.delete_all_cookies()

        self.log_in("district")
        self.driver.get(case_url)
        self.click_element_and_wait(self.find("case-facts").find_element(By.TAG_NAME, "a"))
        self.assertIn("自然灾害", self.find("relief-grants").text)
        self.click_and_wait("relief-link")
        Select(self.find("claim-reason")).select_by_value("accident")
        self.find("claim-requested").send_keys("5000")
        Select(self.find("claim-paymentPoint")).select_by_index(0)
        self.find("claim-account").send_keys("6222000077771111")
        self.click_and_wait("claim-compute")
        self.assertIn("临时救助每人每年上限", self.find("explain-parameters").text)
        self.assertIn("2,200.00", self.driver.page_source)
        self.snap("relief-computed")
        self.click_and_wait("claim-open")
        self.assertIn("已受理", self.find("case-state").text)

    def test_a_homes_subsidy_is_paid_by_the_accountant(self):
        self.log_in("accountant")
        self.open("/assistance/support/subsidies")
        row = self.find("subsidies-table").find_elements(By.CSS_SELECTOR, "tbody tr")[0]
        self.assertIn("区社会福利院", row.text)
        self.assertIn("290,000.00", row.text)
        self.driver.execute_script("document.querySelector('.subsidy-pay').closest('details').open = true")
        form = self.driver.find_element(By.CSS_SELECTOR, ".subsidy-pay")
        form.find_element(By.NAME, "reference").send_keys("ZF-浏览器-001")
        self.click_element_and_wait(form.find_element(By.TAG_NAME, "button"))
        self.assertIn("已登记拨付", self.find("subsidy-notice").text)
        self.assertIn("ZF-浏览器-001", self.find("subsidies-table").text)
        self.snap("home-subsidies")


if __name__ == "__main__":
    unittest.main()
