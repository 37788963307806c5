"""Pensions paid through banks, in a real browser: the fund accountant sees the demo's payroll runs
reconciled three ways and a run's bank files, imports a bank return whose unknown line is held,
records money recovered against the overpayment a death raised; a clerk proposes a retiree's new
account (a bad one refused beside its field) and a reviewer approves it."""
import os
import re
import tempfile
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class PayrollTest(BrowserTestCase):
    def test_runs_files_returns_and_overpayments(self):
        self.log_in("accountant")
        self.open("/benefits/payroll")
        runs = self.find("payroll-runs").text
        self.assertIn("三方核对一致", runs)
        self.snap("payroll")
        link = self.driver.find_element(By.CSS_SELECTOR, "#payroll-runs tbody a")
        link.click()
        self.wait_replaced(link)
        self.assertIn("三方核对一致", self.find("reconciled").text)
        files = self.find("files-table")
        self.assertRegex(files.text, r"SB\d+-[A-Z]+-1")
        self.assertTrue(files.find_elements(By.CSS_SELECTOR, "a[href*='format=pain.001']"))
        self.snap("payroll-run")
        # A return naming a payment nobody was paid under: held, nothing posted.
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            f.write("H|SB0-X-1|1|\n987654321|某人|6222000000000000|100.00|110101198001010010|成功||\nT|1|\n")
            path = f.name
        self.open("/benefits/payroll")
        self.find("return-file").send_keys(path)
        self.click_and_wait("return-submit")
        self.assertIn("挂起 1 笔", self.find("return-done").text)
        self.assertIn("无此付款", self.find("quarantine-table").text)
        os.unlink(path)
        # The demo's death: an overpayment, recovered in part.
        self.open("/benefits/deaths")
        table = self.find("overpayments-table")
        before = table.find_elements(By.CSS_SELECTOR, "tbody tr")[0].text
        form = table.find_element(By.CSS_SELECTOR, "form")
        form.find_element(By.NAME, "amount").send_keys("100.00")
        form.find_element(By.NAME, "note").send_keys("家属退回")
        form.find_element(By.CSS_SELECTOR, "button").click()
        self.wait_replaced(table)
        after = self.find("overpayments-table").find_elements(By.CSS_SELECTOR, "tbody tr")[0].text
        self.assertIn("100.00", after)
        self.assertNotEqual(before, after)
        self.snap("deaths")
        self.open("/benefits/payment-points")
        self.assertIn("邮政", self.find("points-table").text)
        self.snap("payment-points")

    def test_a_new_account_is_proposed_and_approved_by_two_people(self):
        self.log_in("district")
        self.open("/benefits/pensions")
        people = [re.search(r"/persons/(\d+)", a.get_attribute("href")).group(1)
                  for a in self.driver.find_elements(By.CSS_SELECTOR, "#pensions-table tbody td:first-child a")][:5]
        for person in people:
            self.open(f"/persons/{person}")
            # A pension awarded by another test has no account yet: take one paid into an account.
            if self.driver.find_elements(By.ID, "pension-account-link") and self.driver.find_elements(By.ID, "pension-account"):
                break
        else:
            self.fail("no retiree whose account may be changed")
        self.assertIn("*", self.find("pension-account").text)
        self.snap("pension-panel")
        self.click_and_wait("pension-account-link")
        self.find("account-number").send_keys("12ab")
        self.find("account-reason").send_keys("换卡")
        self.click_and_wait("account-submit")
        self.assertIn("12至30位数字", self.find("e-account").text)
        self.snap("pension-account-refused")
        number = self.find("account-number")
        number.clear()
        number.send_keys("6222 0213 0000 1234 567")
        self.click_and_wait("account-submit")
        self.assertIn(f"/persons/{person}", self.driver.current_url)
        self.driver.delete_all_cookies()

        self.log_in("reviewer")
        self.open("/benefits/account-changes")
        row = self.driver.find_element(By.CSS_SELECTOR, "#changes-table tbody tr")
        self.assertIn("6222021300001234567", row.text)
        self.snap("account-changes")
        row.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        self.wait_replaced(row)
        self.assertIn("已批准", self.find("changes-table").text)
        self.open(f"/persons/{person}")
        self.assertIn("4567", self.find("pension-account").text)


    def test_a_suspended_pension_is_certified_and_resumes(self):
        self.log_in("district")
        self.open("/benefits/survival")
        table = self.find("survival-table")
        suspended = [row for row in table.find_elements(By.CSS_SELECTOR, "tbody tr") if "暂停发放" in row.text]
        self.assertTrue(suspended, "the demo suspends those past their grace period")
        self.snap("survival")
        row = suspended[0]
        person = re.search(r"/persons/(\d+)", row.find_element(By.CSS_SELECTOR, "a").get_attribute("href")).group(1)
        self.open(f"/persons/{person}")
        self.assertTrue(self.find("pension-suspended").text)
        self.open("/benefits/survival")
        row = self.find(f"survival-{person}")
        Select(row.find_element(By.NAME, "method")).select_by_value("remote_face")
        row.find_element(By.CSS_SELECTOR, "button").click()
        self.wait_replaced(row)
        self.assertIn("认证已记录", self.find("survival-done").text)
        self.open(f"/persons/{person}")
        self.assertEqual(self.driver.find_elements(By.ID, "pension-suspended"), [])
        self.snap("survival-resumed")

    def test_a_work_injury_claim_shows_its_subsidy_explained(self):
        self.log_in("district")
        self.open("/benefits/pensions")
        person = re.search(r"/persons/(\d+)", self.driver.find_element(By.CSS_SELECTOR, "#pensions-table tbody td:first-child a").get_attribute("href")).group(1)
        def compute(reported):
            self.open(f"/persons/{person}/work-injury")
            for field, value in [("claim-injuryDate", "2012-05-10"), ("claim-reportedOn", reported), ("claim-grade", "7"), ("claim-ownWage", "5000.00"),
                                 ("claim-account", "6222000011112222")]:
                self.find(field).send_keys(value)
            self.click_and_wait("claim-compute")
        compute("2013-06-01")
        # Told beside the report date, the field at fault.
        self.assertIn("365", self.find("e-reportedOn").text)
        compute("2012-05-20")
        steps = self.find("explain-steps").text
        self.assertIn("65,000.00", steps)
        self.snap("work-injury")
        self.click_and_wait("claim-open")
        self.assertIn("/cases/", self.driver.current_url)
        self.assertIn("65,000.00", self.driver.page_source)
        self.open(f"/persons/{person}")
        self.assertIn("工伤待遇", self.driver.page_source)

    def test_a_death_from_a_work_injury_is_computed_for_the_next_of_kin(self):
        self.log_in("district")
        self.open("/persons/3")
        kin = self.find("person-resident-id").text.strip()
        self.open("/persons/2")
        self.click_and_wait("work-injury-death-link")
        for field, value in [("claim-deathDate", "2024-03-01"), ("claim-deceasedWage", "5000.00"), ("claim-others", "2"), ("claim-lone", "2"),
                             ("claim-nextOfKin", kin), ("claim-account", "6222000011116666")]:
            self.find(field).send_keys(value)
        self.click_and_wait("claim-compute")
        steps = self.find("explain-steps").text
        # Spouse 40% + 2 orphans × 40% of 5,000.00 = 6,000.00 > 5,000.00: capped at the wage.
        self.assertIn("5,000.00", steps)
        self.snap("work-injury-death", at="explanation")
        self.click_and_wait("claim-open")
        self.assertIn("/cases/", self.driver.current_url)

    def test_the_payout_on_a_death_names_its_next_of_kin(self):
        self.log_in("district")
        self.open("/benefits/deaths")
        link = self.find("overpayments-table").find_element(By.CSS_SELECTOR, "tbody a")
        link.click()
        self.wait_replaced(link)
        self.click_and_wait("survivor-link")
        self.find("claim-nextOfKin").send_keys("110101198001010010")
        self.find("claim-account").send_keys("6222020200112233445")
        self.click_and_wait("claim-compute")
        self.assertIn("领取人须为已登记的其他人员", self.find("e-nextOfKin").text)
        self.assertEqual(self.driver.find_elements(By.ID, "claim-open"), [])
        self.snap("survivor")
        # The demo's household member asked already: the case waits for its papers.
        self.open("/cases")
        self.assertIn("死亡待遇", self.driver.page_source)


if __name__ == "__main__":
    unittest.main()
