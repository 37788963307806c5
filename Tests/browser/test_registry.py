"""The registry in a real browser: find a person by ID, open their view, change the address,
see the new version in the history."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from shebao_browser import BrowserTestCase


class RegistryTest(BrowserTestCase):
    def test_search_by_id_open_edit_address_and_see_history(self):
        self.log_in("xinqiao")
        self.open("/persons")
        self.find("persons-table").find_element(By.CSS_SELECTOR, "tbody tr a").click()
        resident_id = self.find("person-resident-id").text
        self.assertEqual(len(resident_id), 18)

        # Search by the full ID, as a clerk at the window would.
        self.open("/persons")
        box = self.find("q")
        box.clear()
        box.send_keys(resident_id)
        self.find("search-submit").click()
        # Wait for the results page itself, not the list that was on screen before the search.
        self.wait.until(EC.url_contains("q="))
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#persons-table tbody tr")
        self.assertEqual(len(rows), 1)
        rows[0].find_element(By.TAG_NAME, "a").click()
        self.assertEqual(self.find("person-resident-id").text, resident_id)
        old_version = int(self.find("person-version").text)

        self.find("edit-person").click()
        address = self.find("f-address")
        address.clear()
        address.send_keys("新桥镇浏览器测试路 7 号")
        self.find("f-reason").send_keys("浏览器测试：更正住址")
        self.find("record-save").click()

        self.wait.until(EC.presence_of_element_located((By.ID, "notice")))
        self.assertEqual(self.find("person-address").text, "新桥镇浏览器测试路 7 号")
        self.assertEqual(int(self.find("person-version").text), old_version + 1)
        history = self.find("history-table").text
        self.assertIn("浏览器测试：更正住址", history)
        self.assertIn("新桥镇浏览器测试路 7 号", history)
        self.assertIn("xinqiao", history)

    def test_keyboard_reaches_the_search(self):
        self.log_in("district")
        self.open("/persons")
        # The search box has focus on arrival; typing and Enter search without the mouse.
        self.driver.switch_to.active_element.send_keys("王\n")
        self.wait.until(EC.url_contains("q="))
        self.find("persons-table")


if __name__ == "__main__":
    unittest.main()
