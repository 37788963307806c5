"""A town clerk sees no trace of another town (issue 9): not on /duplicates, not in the import
history, not in an employer's staff list, not in an import report.

The district clerk sets the scene in the same browser session the test then drops: a merge
between a person of Xinqiao and one of Lunan, and an import by Lunan's clerk. The files travel
with the session cookie through urllib (a browser would download them)."""
import csv
import io
import random
import re
import unittest

from selenium.webdriver.common.by import By

from shebao_browser import BrowserTestCase, check_character

XINQIAO = "331004103000"
LUNAN = "331004001000"


class CrossTownTest(BrowserTestCase):
    def persons(self, region):
        """The persons of a region as the district clerk exports them: header and rows."""
        text = self.fetch(f"/persons/export.csv?region={region}").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        return rows[0], rows[1:]

    def person_id(self, resident_id):
        # One person found opens that person's page.
        self.open(f"/persons?q={resident_id}")
        self.find("person-resident-id")
        return self.driver.current_url.split("?")[0].rstrip("/").split("/")[-1]

    def log_out(self):
        self.driver.delete_all_cookies()

    def test_a_town_clerk_sees_no_trace_of_another_town(self):
        # The scene, set by the district clerk.
        self.log_in("district")
        header, lunan = self.persons(LUNAN)
        _, xinqiao = self.persons(XINQIAO)
        name_column, id_column, code_column = header.index("姓名"), header.index("公民身份号码"), header.index("户籍地区划代码")
        kept = self.person_id(xinqiao[0][id_column])
        merged = None
        for candidate in lunan[:15]:
            merged_id = self.person_id(candidate[id_column])
            self.open("/duplicates")
            self.find("keep").send_keys(kept)
            self.find("merge").send_keys(merged_id)
            self.find("merge-reason").send_keys("浏览器测试：跨镇合并")
            form = self.find("merge-form")
            form.submit()
            self.wait_replaced(form)
            if not self.driver.find_elements(By.ID, "merge-problem"):
                merged = candidate
                break
        self.assertIsNotNone(merged, "no Lunan person could be proposed for merging")
        self.assertIn(merged[name_column], self.find("pending-table").text)
        self.log_out()

        # Lunan's clerk imports one new person.
        self.log_in("lunan")
        template = self.fetch("/imports/templates/persons.csv").decode("utf-8-sig")
        columns = next(csv.reader(io.StringIO(template)))
        plain = [c.rstrip("*") for c in columns]
        birth = f"19{random.randint(50, 99)}0{random.randint(1, 9)}1{random.randint(0, 8)}"
        body = "331004" + birth + f"{random.randint(900, 998):03d}"
        new_id = body + check_character(body)
        source = dict(zip(header, lunan[1]))
        row = [new_id if c == "公民身份号码" else "浏览器测试" if c == "姓名" else source.get(c, "") for c in plain]
        self.upload("persons", "lunan-only-import.csv", columns, [row])
        # A clean file is previewed first, and nothing is written until it is confirmed.
        self.assertIn("浏览器测试", self.find("preview-table").text)
        self.shot("import-preview")
        self.assertNotIn(new_id[-6:], self.fetch("/persons/export.csv?q=" + new_id).decode("utf-8-sig"))
        self.click_and_wait("import-confirm")
        self.assertTrue(self.driver.find_elements(By.ID, "import-done"), self.driver.page_source[:2000])
        self.assertIn("浏览器测试", self.find("import-created").text)
        self.assertIn(new_id, self.fetch("/persons/export.csv?q=" + new_id).decode("utf-8-sig"))
        self.assertIn("lunan-only-import.csv", self.driver.page_source)
        self.log_out()

        # Xinqiao's clerk.
        self.log_in("xinqiao")
        self.open("/duplicates")
        page = self.driver.page_source
        self.assertNotIn(merged[name_column], page)
        self.assertNotIn(merged[id_column][-4:] + "<", page)
        self.assertNotIn("浏览器测试：跨镇合并", page)

        self.open("/imports")
        self.assertNotIn("lunan-only-import.csv", self.driver.page_source)

        # A file with a person of Xinqiao as registered (nothing to change) and an ID registered in
        # Lunan: the Lunan row is refused as registered, without a word of where or whom.
        xinqiao_row = dict(zip(header, xinqiao[1]))
        rows = []
        # The clerk's own file names the people (the report repeats what the file says), so the
        # row of Lunan's ID carries a name of the clerk's: Lunan's name must not appear.
        for source, name in ((xinqiao_row, xinqiao_row["姓名"]), (dict(zip(header, merged)), "核对人")):
            rows.append([name if c == "姓名" else source[c] if c == "公民身份号码" else xinqiao_row.get(c, "") for c in plain])
        self.upload("persons", "xinqiao-check.csv", columns, rows)
        reasons = [r.text for r in self.driver.find_elements(By.CSS_SELECTOR, "#issues-table tbody tr td:last-child")]
        self.assertEqual(len(reasons), 1, self.driver.page_source[:2000])
        self.assertEqual(re.sub(r"\d{17}[\dX]", "ID", reasons[0]), "ID 已经登记。")
        page = self.driver.page_source
        self.assertNotIn("路南", page)
        self.assertNotIn(merged[name_column], page)

        # Staff lists: only Xinqiao's staff, with a count of the rest.
        self.open("/employers")
        employers = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "#employers-table tbody tr a")]
        seen_elsewhere = False
        for href in employers[:20]:
            self.driver.get(href)
            self.find("staff-table")
            staff = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "#staff-table tbody tr a")]
            if self.driver.find_elements(By.ID, "staff-elsewhere"):
                seen_elsewhere = True
                self.assertRegex(self.find("staff-elsewhere").text, r"\d")
                for person in staff[:10]:
                    self.driver.get(person)
                    self.assertTrue(self.driver.find_elements(By.ID, "person-resident-id"), person)
                break
        self.assertTrue(seen_elsewhere, "no Xinqiao employer with staff elsewhere among the first 20")


if __name__ == "__main__":
    unittest.main()
