"""Log in, switch language, log out — in a real headless Chromium."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from shebao_browser import BrowserTestCase


class LoginTest(BrowserTestCase):
    def test_log_in_switch_language_log_out(self):
        self.open("/login")
        self.assertEqual(self.html_lang(), "zh-Hans")
        self.assertIn("登录", self.driver.title)

        self.log_in("admin")
        self.assertEqual(self.find("home-role").text, "系统管理员")

        self.find("lang-en").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        self.assertEqual(self.find("home-role").text, "Administrator")
        self.assertIn("Workspace", self.driver.title)

        self.find("lang-zh-Hant").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hant")
        self.assertEqual(self.find("home-role").text, "系統管理員")

        self.find("logout").click()
        self.wait.until(EC.url_contains("/login"))
        self.find("login-form")
        # After logging out the staff pages send us back to the login page.
        self.open("/persons")
        self.wait.until(EC.url_contains("/login"))

    def test_wrong_password_gives_one_generic_message(self):
        self.log_in("admin", "not-the-password")
        message = self.find("login-error").text
        self.log_in("no-such-user", "not-the-password")
        self.assertEqual(self.find("login-error").text, message)

    def test_keyboard_only_login(self):
        self.open("/login")
        self.find("username").send_keys("district")
        self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.driver.switch_to.active_element.send_keys("shebao-demo-2026", Keys.ENTER)
        self.assertEqual(self.find("home-role").text, "区经办")


class ScopeTest(BrowserTestCase):
    def test_town_clerk_sees_their_town_only(self):
        self.log_in("xinqiao")
        self.open("/persons")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#persons-table tbody tr")
        self.assertTrue(rows)
        first = rows[0].find_element(By.TAG_NAME, "a")
        first.click()
        self.assertIn("新桥镇", self.find("panel-registry").text)


if __name__ == "__main__":
    unittest.main()
