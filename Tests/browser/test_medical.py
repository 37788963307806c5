"""Designated institutions and medical claims in a real browser: a district clerk adds a pharmacy
(a pharmacy given a hospital level refused beside the field), records an inspection that would
suspend it, and the reviewer — not the inspector — confirms it and later reinstates the
agreement; a pharmacy's purchase file naming nobody registered is refused whole with its row and
column; the fund accountant settles what the demo's pharmacy is owed; a clerk computes an
inpatient claim at a district hospital and opens it."""
import datetime
import os
import re
import tempfile
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase



class MedicalTest(BrowserTestCase):
    def institution(self, name):
        self.open("/benefits/medical")
        link = self.driver.find_element(By.LINK_TEXT, name)
        return re.search(r"/benefits/medical/(\d+)", link.get_attribute("href")).group(1)

    def test_an_inspection_is_confirmed_by_another_and_the_agreement_reinstated(self):
        self.log_in("district")
        self.open("/benefits/medical")
        counts = self.find("institution-counts").text
        self.assertIn("22", counts)
        self.assertIn("药店 3", counts)
        self.assertIn("已退出", self.find("institutions-table").text)
        self.snap("medical")
        self.find("institution-code").send_keys("YD-TEST")
        self.find("institution-name").send_keys("测试药房")
        Select(self.find("institution-kind")).select_by_value("pharmacy")
        Select(self.find("institution-level")).select_by_value("district")
        Select(self.find("institution-region")).select_by_index(1)
        self.driver.execute_script("document.getElementById('institution-to').value = '2030-12-31'")
        self.click_and_wait("institution-submit")
        self.assertIn("药店没有医院等级", self.find("e-level").text)
        Select(self.find("institution-level")).select_by_value("")
        self.driver.execute_script("document.getElementById('institution-to').value = '2030-12-31'")
        self.click_and_wait("institution-submit")
        self.assertIn("YD-TEST", self.find("institution-facts").text)
        Select(self.find("inspection-measure")).select_by_value("suspend")
        self.find("inspection-findings").send_keys("个人账户刷卡购买保健品")
        self.click_and_wait("inspection-submit")
        self.assertIn("待另一人复核", self.find("institution-done").text)
        self.assertIn("有效", self.find("institution-status").text)
        # The inspector cannot decide their own inspection.
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form[id^=decide-]"), [])
        page = self.driver.current_url.split("?")[0]
        self.driver.delete_all_cookies()
        self.log_in("reviewer")
        self.open("/benefits/medical")
        self.assertIn("测试药房", self.find("waiting-table").text)
        self.driver.get(page)
        form = self.driver.find_element(By.CSS_SELECTOR, "form[id^=decide-]")
        form.find_element(By.CSS_SELECTOR, "button").click()
        self.wait_replaced(form)
        self.assertIn("暂停", self.find("institution-status").text)
        self.assertIn("已确认", self.find("inspections-table").text)
        self.snap("medical-institution")
        self.find("reinstate-form").find_element(By.NAME, "note").send_keys("已整改，撤下保健品")
        # Wait for the answer to replace this page before reading it: the page being left may still
        # hold an element of the same id, which goes stale while it is read.
        self.click_element_and_wait(self.find("reinstate-form").find_element(By.CSS_SELECTOR, "button"))
        self.assertIn("协议已恢复", self.find("institution-done").text)
        self.assertIn("有效", self.find("institution-status").text)

    def test_a_bad_purchase_file_is_refused_and_the_pharmacy_settled(self):
        self.log_in("district")
        pharmacy = self.institution("国药控股路桥药店")
        self.open(f"/benefits/medical/{pharmacy}")
        owed = self.find("institution-owed").text
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write("单据号,公民身份号码,消费日期,金额\nT-1,110101198001010010,2026-01-05,35.50\n")
            path = f.name
        self.find("purchases-file").send_keys(path)
        self.click_and_wait("purchases-submit")
        issues = self.find("issues-table").text
        self.assertIn("没有身份证号为", issues)
        self.assertIn("B（公民身份号码）", issues)
        self.assertNotIn("110101198001010010", self.driver.page_source)
        self.assertEqual(owed, self.find("institution-owed").text)
        self.snap("medical-purchases-refused")
        os.unlink(path)
        self.driver.delete_all_cookies()
        self.log_in("accountant")
        self.open(f"/benefits/medical/{pharmacy}")
        self.find("settle-form").find_element(By.NAME, "reference").send_keys("ZZ-TEST-1")
        self.click_element_and_wait(self.find("settle-form").find_element(By.CSS_SELECTOR, "button"))
        self.assertIn("已结算", self.find("institution-done").text)
        self.assertIn("ZZ-TEST-1", self.find("settlements-table").text)
        self.assertRegex(self.find("institution-owed").text, r": 0 ")

    def test_an_inpatient_claim_is_computed_and_opened(self):
        self.log_in("district")
        hospital = self.institution("路桥区中医院")
        china = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
        admitted = (china.replace(day=1) - datetime.timedelta(days=20)).isoformat()
        discharged = (china.replace(day=1) - datetime.timedelta(days=12)).isoformat()
        self.open("/persons/1/inpatient")
        point = Select(self.find("claim-paymentPoint")).options[0].get_attribute("value")
        for person in range(1, 400):
            self.open(f"/persons/{person}/inpatient?institution={hospital}&admittedOn={admitted}&dischargedOn={discharged}"
                      f"&totalCost=12000.00&eligibleCost=10000.00&paymentPoint={point}&account=6222020200112233445")
            if self.driver.find_elements(By.ID, "claim-open"):
                break
        else:
            self.fail("no demo person insured in medical")
        explanation = self.find("explanation").text
        self.assertIn("85", explanation)
        self.snap("medical-claim", at="explanation")
        self.click_and_wait("claim-open")
        self.assertIn("待核对票据", self.driver.page_source)
        self.assertIn("统筹支付", self.driver.page_source)
        self.open(f"/persons/{person}")
        self.assertTrue(self.driver.find_elements(By.ID, "medical-account"))
        self.snap("medical-panel", at="medical-account")


if __name__ == "__main__":
    unittest.main()
