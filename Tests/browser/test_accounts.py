"""Accounts in a real browser (issue 9): a reviewer's account waits for the second administrator;
a reset password must be changed before anything else."""
import random
import re
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase


class AccountsTest(BrowserTestCase):
    def add_user(self, username, role, password):
        self.open("/admin/users")
        self.find("new-username").send_keys(username)
        self.find("new-display").send_keys("浏览器测试 " + username)
        Select(self.find("new-role")).select_by_value(role)
        self.find("new-password").send_keys(password)
        self.find("new-password").submit()
        return self.find("users-notice").text

    def row_button(self, username, css):
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#users-table tbody tr"):
            if row.find_element(By.TAG_NAME, "td").text == username:
                return row.find_elements(By.CSS_SELECTOR, css)
        self.fail(f"{username} is not listed")

    def test_a_reviewer_waits_for_the_second_administrator(self):
        suffix = random.randint(1000, 9999)
        reviewer = f"rev{suffix}"
        self.log_in("admin")
        notice = self.add_user(reviewer, "reviewer", "reviewer-pass-2026")
        self.assertIn(reviewer, notice)
        requests = self.find("account-requests").text
        self.assertIn(reviewer, requests)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#account-requests button.approve"))
        self.shot("users-admin-pending")
        self.driver.delete_all_cookies()

        self.log_in(reviewer, "reviewer-pass-2026")
        self.assertTrue(self.driver.find_elements(By.ID, "login-error"))

        self.log_in("admin2")
        self.open("/admin/users")
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#account-requests tbody tr"):
            if reviewer in row.text:
                row.find_element(By.CSS_SELECTOR, "button.approve").click()
                break
        self.assertIn(reviewer, self.find("users-notice").text)
        self.shot("users-admin2-approved")
        self.driver.delete_all_cookies()

        self.log_in(reviewer, "reviewer-pass-2026")
        self.assertFalse(self.driver.find_elements(By.ID, "login-error"))
        self.assertNotIn("/login", self.driver.current_url)

    def test_a_reset_password_is_changed_first(self):
        clerk = f"clerk{random.randint(1000, 9999)}"
        self.log_in("admin")
        self.add_user(clerk, "town_clerk", "clerk-pass-2026")
        self.row_button(clerk, "button.reset")[0].click()
        password = re.search(r"[A-Za-z0-9]{16}", self.find("users-password").text).group(0)
        self.shot("users-reset")
        self.driver.delete_all_cookies()

        self.log_in(clerk, password)
        self.open("/persons")
        self.assertIn("/account/password", self.driver.current_url)
        self.find("password-required")
        self.shot("password-required")
        self.find("current").send_keys(password)
        self.find("new").send_keys("clerk-own-2026")
        self.find("repeat").send_keys("clerk-own-2026")
        self.click_and_wait("password-submit")
        self.find("password-done")
        self.open("/persons")
        self.find("persons-table")


if __name__ == "__main__":
    unittest.main()
