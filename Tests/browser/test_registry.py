"""The registry in a real browser: find a person by ID, open their view, change the address,
see the new version in the history; register a household of three in one form."""
import base64
import csv
import io
import random
import re
import urllib.parse
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from shebao_browser import BrowserTestCase, resident_id


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
        # One person found opens that person (the URL leaves the search's /persons?q=).
        self.wait.until(EC.url_contains("/persons/"))
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
        # Who changed it, by the name the office knows them by, never the login.
        self.assertIn("新桥镇经办", history)
        self.assertNotIn("xinqiao", history)

    def test_keyboard_reaches_the_search(self):
        self.log_in("district")
        self.open("/persons")
        # The search box has focus on arrival; typing and Enter search without the mouse.
        self.driver.switch_to.active_element.send_keys("王\n")
        self.wait.until(EC.url_contains("q="))
        self.find("persons-table")

    def test_a_misspelt_name_shows_its_near_match_labelled(self):
        """A name typed with one character wrong lists the person with 近似 beside the name, never
        opening them unasked; the results start above the fold at 1366×768."""
        self.driver.set_window_size(1366, 768)
        self.log_in("xinqiao")
        self.open("/persons")
        name = self.find("persons-table").find_element(By.CSS_SELECTOR, "tbody tr a").text
        misspelt = name[:-1] + ("玮" if name[-1] == "伟" else "伟")
        box = self.find("q")
        box.clear()
        box.send_keys(misspelt + "\n")
        self.wait.until(EC.url_contains("q="))
        rows = [row for row in self.driver.find_elements(By.CSS_SELECTOR, "#persons-table tbody tr")
                if row.find_element(By.TAG_NAME, "a").text == name]
        self.assertTrue(rows, f"{name} is not among the matches for {misspelt}")
        self.assertIn("近似", rows[0].find_element(By.CLASS_NAME, "match").text)
        first = self.driver.find_element(By.CSS_SELECTOR, "#persons-table tbody tr")
        self.assertLess(first.rect["y"], 768 - first.rect["height"], "the first result is below the fold")
        self.shot("persons-near-match")

    def test_a_three_person_household_in_one_form(self):
        """From the household list, a town clerk registers a household of three people new to the
        registry in one form — each ID typed once, no household number invented — in two page
        loads: the form, then the saved household."""
        self.log_in("xinqiao")
        self.open("/households")
        year = random.randrange(1960, 1990)
        people = [("周" + n, resident_id(f"{year + k * 2}0{k + 1}1{k + 2}"), rel)
                  for k, (n, rel) in enumerate([("建国", None), ("秀英", "spouse"), ("小红", "child")])]
        people[2] = (people[2][0], resident_id(f"{year + 25}0315"), "child")
        self.click_and_wait("household-new")                      # page load 1
        Select(self.find("f-region")).select_by_index(0)
        for row, (name, id_number, relation) in enumerate(people):
            self.find(f"members.{row}.residentID").send_keys(id_number)
            self.find(f"members.{row}.name").send_keys(name)
            if relation:
                Select(self.find(f"members.{row}.relation")).select_by_value(relation)
        self.find("f-reason").send_keys("新立户")
        self.shot("household-one-form")
        self.click_and_wait("household-save")                     # page load 2: the saved household
        problems = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".error")]
        self.assertEqual(problems, [])
        self.assertRegex(self.driver.current_url, r"/households/\d+")
        members = self.find("members-table").text
        for name, _, _ in people:
            self.assertIn(name, members)
        self.assertIn("户主", members)
        self.shot("household-registered")
        # The household is found by its number (opened at once, being the only one).
        number = self.driver.find_element(By.TAG_NAME, "h1").text
        self.open("/households?q=" + re.search(r"\d{12}-\d+", number).group(0))
        self.assertIn(people[0][0], self.find("members-table").text)

    def test_an_exported_list_edited_and_imported_changes_what_was_edited(self):
        """The clerk exports a list, changes one phone number in it and imports it back: the
        preview names the one change, nothing is written before the confirmation, and then the
        person's page shows the new number."""
        self.log_in("xinqiao")
        rows = list(csv.reader(io.StringIO(self.fetch("/persons/export.csv?q=" + urllib.parse.quote("王")).decode("utf-8-sig"))))
        header, first = rows[0], rows[1]
        phone = header.index("联系电话")
        new_phone = f"139{random.randrange(10_000_000, 99_999_999)}"
        first[phone] = new_phone
        self.upload("persons", "王.csv", header, rows[1:])
        preview = self.find("preview-table").text
        self.assertIn(first[header.index("姓名")], preview)
        self.assertIn("联系电话", preview)
        self.assertIn("修改 1 条", self.find("import-preview").text)
        self.assertNotIn(new_phone, self.fetch("/persons/export.csv?q=" + first[0]).decode("utf-8-sig"))
        self.click_and_wait("import-confirm")
        self.find("import-created").find_element(By.TAG_NAME, "a").click()
        self.assertIn(new_phone, self.find("panel-registry").text)
        self.shot("import-round-trip")

    def test_the_registration_sheet_prints_on_one_a4_page(self):
        """From a person's page the clerk opens the registration sheet; its print button prints it,
        header, facts, household and signature lines, on one A4 page."""
        self.log_in("xinqiao")
        self.open("/persons")
        self.click_element_and_wait(self.find("persons-table").find_element(By.CSS_SELECTOR, "tbody tr a"))
        self.click_and_wait("person-sheet-link")
        self.assertTrue(self.find("print-button").is_displayed())
        self.assertTrue(self.find("signatures").is_displayed())
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7
        pdf = base64.b64decode(self.driver.print_page(options))
        self.assertEqual(len(re.findall(rb"/Type\s*/Page[^s]", pdf)), 1, "the sheet takes more than one A4 page")
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.assertTrue(self.driver.find_element(By.CLASS_NAME, "print-head").is_displayed())
        self.assertFalse(self.find("print-button").is_displayed())
        self.shot("person-sheet-print")

    def test_the_header_in_english_keeps_its_words_whole_at_1366(self):
        """The English navigation wraps whole items, never a label inside itself, and the page
        never scrolls sideways at 1366 px (issue 14)."""
        self.driver.set_window_size(1366, 768)
        self.log_in("district")
        self.open("/language?to=en&back=%2Fpersons")
        links = self.driver.find_elements(By.CSS_SELECTOR, "header.top nav a")
        self.assertGreater(len(links), 10)
        line = min(link.rect["height"] for link in links)
        self.assertEqual([link.text for link in links if link.rect["height"] > line * 1.5], [])
        self.assertLessEqual(self.driver.execute_script("return document.documentElement.scrollWidth"),
                             self.driver.execute_script("return window.innerWidth"))
        self.open("/language?to=zh-Hans&back=%2Fpersons")


if __name__ == "__main__":
    unittest.main()
