#!/usr/bin/env python3
"""Browser walkthrough: headless Chromium (Selenium, Debian's chromium and chromium-driver) against
a running `safeguard serve` on a fresh SQLite file. An officer is stopped by the gate, a supervisor
approves exceptional circumstances, the officer then records the action; a user who stated no
purpose sees the § 1367 marker. A screenshot of each main page goes to artifacts/screenshots/.
Usage: walkthrough.py PATH-TO-SAFEGUARD. Exit code 0 when every check holds."""
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By

SAFEGUARD = os.path.abspath(sys.argv[1])
PASSWORD = "correct horse battery staple"
SHOTS = os.path.join(os.getcwd(), "artifacts", "screenshots")
MARKER = "withheld under 8 U.S.C. § 1367"
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def run(*arguments, input=None):
    return subprocess.run([SAFEGUARD, *arguments, "--database", database], input=input, capture_output=True, text=True, check=True).stdout


def api(method, path, token, body=None, purpose=None):
    request = urllib.request.Request(f"{base}{path}", method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    if purpose:
        request.add_header("Safeguard-Purpose", purpose)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


folder = tempfile.mkdtemp(prefix="safeguard-browser-")
database = os.path.join(folder, "safeguard.sqlite")
run("migrate")
for username, role in [("officer-nyc", "officer"), ("supervisor-nyc", "supervisor"), ("auditor-nyc", "auditor")]:
    run("users", "add", "--username", username, "--role", role, "--office", "NYC", "--password-stdin", input=PASSWORD + "\n")
token = run("users", "token", "officer-nyc").strip()

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([SAFEGUARD, "serve", "--port", str(port), "--database", database], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/health")
            break
        except OSError:
            time.sleep(0.1)

    # A known U petitioner under Directive 11005.3, with exceptional circumstances asserted.
    person = api("POST", "/api/v1/people", token, {"aNumber": "A123456780", "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"})
    filing = api("POST", f"/api/v1/people/{person['id']}/filings", token, {"type": "U", "role": "principal", "status": "pending"})
    encounter = api("POST", "/api/v1/encounters", token, {"personId": person["id"], "action": "arrest", "asOf": "2023-05-01", "exceptionalCircumstances": True})
    api("POST", f"/api/v1/encounters/{encounter['id']}/steps", token,
        {"step": "benefit-verification", "summary": "Confirmed in CLAIMS3.", "counterpart": "CLAIMS3", "filingId": filing["id"], "confirmed": True}, "law-enforcement")
    page = f"{base}/encounters/{encounter['id']}"

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1600"]:
        options.add_argument(argument)
    os.makedirs(SHOTS, exist_ok=True)

    def browser():
        return webdriver.Chrome(options=options)

    def sign_in(driver, username, purpose):
        driver.get(f"{base}/login")
        driver.find_element(By.ID, "username").send_keys(username)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, f"#purpose option[value='{purpose}']").click()
        driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()

    officer = browser()
    sign_in(officer, "officer-nyc", "law-enforcement")
    officer.save_screenshot(os.path.join(SHOTS, "home-officer.png"))
    check(encounter["id"] in officer.page_source, "the officer's home page lists the open encounter")
    officer.get(page)
    check(officer.find_element(By.CSS_SELECTOR, ".disposition").text == "proceed-after-steps", "the officer sees the disposition")
    officer.find_element(By.CSS_SELECTOR, "form[action$='/action'] button").click()
    officer.save_screenshot(os.path.join(SHOTS, "encounter-gate-refused.png"))
    check("steps still owed: exceptional-circumstances-approval" in officer.find_element(By.CSS_SELECTOR, ".message").text,
          "the gate stops the officer and says what is owed")

    supervisor = browser()
    sign_in(supervisor, "supervisor-nyc", "law-enforcement")
    supervisor.get(page)
    supervisor.find_element(By.ID, "summary-exceptional-circumstances-approval").send_keys("A documented threat to public safety.")
    supervisor.find_element(By.ID, "counterpart-exceptional-circumstances-approval").send_keys("FOD New York")
    supervisor.save_screenshot(os.path.join(SHOTS, "encounter-supervisor-approval.png"))
    supervisor.find_element(By.CSS_SELECTOR, "form[action$='/steps'] button").click()
    check("Record exceptional-circumstances-approval" not in supervisor.page_source, "the supervisor's approval is recorded")

    officer.get(page)
    officer.find_element(By.CSS_SELECTOR, "form[action$='/action'] button").click()
    officer.save_screenshot(os.path.join(SHOTS, "encounter-action-recorded.png"))
    check("Status: action-recorded" in officer.page_source, "the officer then records the action")

    auditor = browser()
    sign_in(auditor, "auditor-nyc", "")
    auditor.get(page)
    auditor.save_screenshot(os.path.join(SHOTS, "encounter-withheld.png"))
    check(MARKER in auditor.page_source and "refrain-known-beneficiary" not in auditor.page_source,
          "a user without need-to-know sees the withheld marker")
    auditor.get(f"{base}/audit")
    auditor.find_element(By.CSS_SELECTOR, "form[action='/audit/verify'] button").click()
    auditor.save_screenshot(os.path.join(SHOTS, "audit-verified.png"))
    check("The audit chain verifies" in auditor.find_element(By.CSS_SELECTOR, ".message").text, "the auditor verifies the chain from the page")
    officer.get(f"{base}/policies")
    officer.save_screenshot(os.path.join(SHOTS, "policies.png"))
    check("ice-interim-guidance-2025" in officer.page_source, "the policy timeline lists the 2025 guidance")
    for driver in (officer, supervisor, auditor):
        driver.quit()
finally:
    server.terminate()
    server.wait()

print(f"{len(failures)} browser checks failed" if failures else "browser walkthrough: every check held")
sys.exit(1 if failures else 0)
