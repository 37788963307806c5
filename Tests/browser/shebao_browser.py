"""Shared set-up for the browser tests: a headless Chromium pointed at a running Shebao server.

The server is started by .ci/run (`shebao serve --demo`); SHEBAO_URL names it.
"""
import csv
import os
import random
import tempfile
import unittest
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE_URL = os.environ.get("SHEBAO_URL", "http://127.0.0.1:8080")
DEMO_PASSWORD = os.environ.get("SHEBAO_DEMO_PASSWORD", "shebao-demo-2026")


def check_character(body17):
    """GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights)) % 11]


def resident_id(birth, area="330106"):
    """A valid resident ID of someone born on `birth` (YYYYMMDD) in `area` (by default Hangzhou's
    Shangcheng district, which the demo never uses), with a random sequence number."""
    body = area + birth + f"{random.randrange(100, 1000):03d}"
    return body + check_character(body)


def make_driver():
    options = webdriver.ChromeOptions()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1280,900")
    binary = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
    if os.path.exists(binary):
        options.binary_location = binary
    driver_path = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    service = Service(driver_path) if os.path.exists(driver_path) else Service()
    return webdriver.Chrome(service=service, options=options)


class BrowserTestCase(unittest.TestCase):
    def setUp(self):
        self.driver = make_driver()
        self.wait = WebDriverWait(self.driver, 10)

    def tearDown(self):
        self.driver.quit()

    def shot(self, name):
        """A screenshot into $SHEBAO_SCREENSHOTS, when set, to look at the page."""
        folder = os.environ.get("SHEBAO_SCREENSHOTS")
        if folder:
            os.makedirs(folder, exist_ok=True)
            self.driver.save_screenshot(os.path.join(folder, name + ".png"))

    def snap(self, name, at=None):
        """A screenshot with the element `at` (an id) scrolled into view first."""
        if at:
            self.driver.execute_script("arguments[0].scrollIntoView()", self.find(at))
        self.shot(name)

    def switch_to(self, username):
        """Logs out by dropping the session cookie and logs in as someone else."""
        self.driver.delete_all_cookies()
        self.log_in(username)

    def add_document(self, kind):
        """Adds a document of a kind to the case on screen."""
        Select(self.find("document-kind")).select_by_value(kind)
        self.find("document-reference").send_keys("村委会出具的材料")
        self.click_and_wait("document-add")

    def wait_for_run(self, seconds):
        """Waits until the run on screen, which reloads itself while its chunks are computed,
        shows its meter full. A reload between finding the meter and reading it is no failure."""
        def done(driver):
            try:
                meter = driver.find_element(By.ID, "run-meter")
                return meter.get_attribute("value") == "100" or "100%" in meter.text
            except (StaleElementReferenceException, NoSuchElementException):
                return False

        WebDriverWait(self.driver, seconds).until(done)

    def fetch(self, path):
        """GET with this browser's session (a download, say): the bytes."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(BASE_URL + path, headers={"Cookie": cookies})
        with urllib.request.urlopen(request) as response:
            return response.read()

    def upload(self, kind, name, header, rows):
        """Uploads rows as a CSV file of `kind` from the import page."""
        path = os.path.join(tempfile.mkdtemp(), name)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
        self.open("/imports")
        self.find(f"file-{kind}").send_keys(path)
        self.click_and_wait(f"upload-{kind}")

    def open(self, path):
        self.driver.get(BASE_URL + path)

    def find(self, element_id):
        return self.wait.until(EC.presence_of_element_located((By.ID, element_id)))

    def log_in(self, username, password=DEMO_PASSWORD):
        self.open("/login")
        self.find("username").send_keys(username)
        self.find("password").send_keys(password)
        # Wait for the answer (home page or the login page again) before going on, so that the
        # next navigation carries the new session cookie.
        self.click_and_wait("login-submit")

    def click_and_wait(self, element_id):
        """Clicks and waits until the page the click led to has replaced this one."""
        self.click_element_and_wait(self.find(element_id))

    def click_element_and_wait(self, element):
        """Clicks an element found any way and waits for the page it leads to."""
        element.click()
        self.wait_replaced(element)

    def wait_replaced(self, element):
        """Waits until the page that held `element` has been replaced by the next one."""
        def replaced(_driver):
            try:
                element.is_enabled()
                return False
            except (StaleElementReferenceException, WebDriverException):
                # Chromium may also answer that the node no longer belongs to the document.
                return True

        self.wait.until(replaced)

    def html_lang(self):
        return self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
