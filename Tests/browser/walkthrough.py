#!/usr/bin/env python3
"""Browser walkthrough: headless Chromium (Selenium, Debian's chromium and chromium-driver) against
a running `safeguard serve` on a fresh SQLite file, each role's main flow end to end:
an officer opens an encounter from the form, verifies the filing, asks what changes if a fact
flips, and is stopped by the gate; a supervisor approves from the queue; the officer records the
action; an OPLA attorney records advice from the consultation queue; an analyst reads the
dashboard; an auditor without need-to-know sees the § 1367 marker and verifies the chain; the
policy timeline and one case on two dates; a hotline specialist takes a call, registers a victim,
confirms the channel, and sees the notice of a custody event delivered through a local gateway.
The whole walkthrough runs twice: in a 1366×900 window, and on a 390×844 phone (Chromium's
mobile emulation: a mobile viewport, touch, a phone's user agent). Every page visited is checked
for accessibility (accessibility.py), for sideways scrolling, for codes in its visible text (none
but on the policies page), and for links that lead to anything but a page (problem JSON); refused
forms are reloaded. A screenshot of each main page at both sizes goes to artifacts/screenshots/.
Usage: walkthrough.py PATH-TO-SAFEGUARD [desktop|phone] (both, one after the other, when no
device is named). Exit code 0 when every check holds."""
import http.server, json, os, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

import accessibility

SAFEGUARD = os.path.abspath(sys.argv[1])
if len(sys.argv) < 3:
    codes = [subprocess.run([sys.executable, sys.argv[0], SAFEGUARD, device]).returncode for device in ["desktop", "phone"]]
    sys.exit(max(codes))
DEVICE = sys.argv[2]
print(f"== the walkthrough on a {'390×844 phone' if DEVICE == 'phone' else '1366×900 window'}")
PASSWORD = "correct horse battery staple"
SHOTS = os.path.join(os.getcwd(), "artifacts", "screenshots")
MARKER = "withheld under 8 U.S.C. § 1367"
USERS = [("officer-nyc", "officer"), ("supervisor-nyc", "supervisor"), ("attorney-nyc", "opla-attorney"),
         ("analyst-nyc", "analyst"), ("auditor-nyc", "auditor"), ("hotline-nyc", "hotline-specialist"), ("feed", "integration")]
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


def person(token, a_number):
    return api("POST", "/api/v1/people", token, {"aNumber": a_number, "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"})


def detached(element):
    """Whether the page that held `element` is gone. Chromium answers a node of an unloaded
    document either as stale or as "does not belong to the document" (a plain WebDriverException):
    both mean the navigation happened."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def follow(driver, by, selector):
    """Clicks a button or link and waits for the page it leads to."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, selector).click()
    WebDriverWait(driver, 10).until(lambda _: detached(old))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


checked_pages = set()
WIDTH = 390 if DEVICE == "phone" else 1366
# The contract's codes that are not plain words (hyphenated or camel case): pages say them in
# words; only the policies page, for specialists, shows them.
CODES = ["proceed-after-steps", "opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction",
         "benefit-verification", "section-1367-confidentiality", "source-prohibition", "seek-victim-indicia", "refer-unreported-crime",
         "consider-prosecutorial-discretion", "expedited-adjudication-request", "continued-presence", "stay-of-removal",
         "victim-indicia", "ice-directive-11005.2", "ice-directive-11005.3", "ice-interim-guidance-2025", "ice-policy-10076.1",
         "usc-8-1367", "standing-relief", "immediateVictimOrWitness", "pendingCriminalCase", "crimeReported", "wishesToReport",
         "outsideUnitedStates", "lawEnforcementInterest", "exceptionalCircumstances", "aggravatingFactors", "expediteInAgencyInterest",
         "convicted237a2", "action-recorded", "initiate-removal-proceedings", "abuse-in-detention", "victim-assistance",
         "notification-request", "crime-tip", "awaiting-confirmation", "pin-locked", "released-bond",
         "legal-consultation", "opla-attorney", "hotline-specialist", "denied-final", "self-report", "protection-order"]


def shot(driver, name):
    """Keeps a screenshot of the page as an artifact, named for the device."""
    driver.save_screenshot(os.path.join(SHOTS, f"{name}{'-phone' if DEVICE == 'phone' else ''}.png"))


def visit(driver, name, what):
    """Saves a screenshot of the page and checks it — once per page kind — for accessibility,
    sideways scrolling, codes in its visible text, and links that lead to anything but a page."""
    shot(driver, name)
    if what in checked_pages:
        return
    checked_pages.add(what)
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    check(scroll <= WIDTH and inner <= WIDTH, f"{what} does not scroll sideways at {WIDTH} px (page {scroll} px wide, viewport {inner} px)")
    found = accessibility.problems(driver)
    check(not found, f"{what} is accessible" + (": " + "; ".join(found[:5]) if found else ""))
    if name != "policies":
        text = driver.execute_script("return document.body.innerText")
        shown = [code for code in CODES if code in text]
        check(not shown, f"{what} shows no codes" + (": " + ", ".join(shown) if shown else ""))
    answers = [answer for answer in map(lambda link: linked(driver, link), links(driver)) if answer]
    check(not answers, f"every link on {what} leads to a page" + (": " + "; ".join(answers[:5]) if answers else ""))


def links(driver):
    """The page's own links (same site, not a fragment of the page itself)."""
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    return sorted({href.split("#")[0] for href in hrefs if href.startswith(base) and href.split("#")[0] != driver.current_url.split("#")[0]})


def linked(driver, url):
    """What a link leads to, as the signed-in browser would get it: None for a page, else what it is."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request) as response:
            kind, status = response.headers.get("Content-Type", ""), response.status
    except urllib.error.HTTPError as error:
        kind, status = error.headers.get("Content-Type", ""), error.code
    return None if kind.startswith("text/html") and status == 200 else f"{url[len(base):]} answers {status} {kind}"


def reloaded(driver, what):
    """Reloads the page a refused form led to: a page again, never a resubmission or JSON."""
    driver.refresh()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    check(driver.execute_script("return document.contentType") == "text/html", f"reloading {what} shows a page")


folder = tempfile.mkdtemp(prefix="safeguard-browser-")
database = os.path.join(folder, "safeguard.sqlite")
run("migrate")
for username, role in USERS:
    run("users", "add", "--username", username, "--role", role, "--office", "NYC", "--password-stdin", input=PASSWORD + "\n")
token = run("users", "token", "officer-nyc").strip()
feed_token = run("users", "token", "feed").strip()


class Gateway(http.server.BaseHTTPRequestHandler):
    """A text-message gateway that accepts every message."""
    received = []

    def do_POST(self):
        Gateway.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *arguments):
        pass


gateway = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
threading.Thread(target=gateway.serve_forever, daemon=True).start()

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
base = f"http://127.0.0.1:{port}"
environment = dict(os.environ, SAFEGUARD_GATEWAY_SMS=f"http://127.0.0.1:{gateway.server_address[1]}/sms", SAFEGUARD_DELIVERY_WORKERS="1")
# A draft policy, started by `policies new` and given a rule, that the server offers to try on the open encounters.
drafts = os.path.join(folder, "drafts")
subprocess.run([SAFEGUARD, "policies", "new", "victim-centered-2027", "--from", "2027-03-01", "--rescinds", "ice-interim-guidance-2025",
                "--drafts", drafts], capture_output=True, check=True)
draft = os.path.join(drafts, "victim-centered-2027.yaml")
with open(draft) as file:
    text = file.read()
with open(draft, "w") as file:
    file.write(text.replace("rules: []\n", """rules:
  - id: victim-centered-2027/refrain-known-beneficiary
    description: Absent exceptional circumstances, no civil enforcement action against a known beneficiary or known applicant.
    when: hasKnownLiveFiling && !exceptionalCircumstances
    effects:
      disposition: refrain
    citation:
      document: Victim-centered approach (draft)
      passage: Section 2
      quote: absent exceptional circumstances ICE will refrain
    source: primary
""", 1))
# Filings verified at the simulator of USCIS's Case Status API, which knows the samples' receipt numbers.
server = subprocess.Popen([SAFEGUARD, "serve", "--port", str(port), "--database", database, "--uscis-simulator", "--offer-drafts", drafts],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=environment)
drivers = []
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/health")
            break
        except OSError:
            time.sleep(0.1)

    # Six arrests today of people with no filing, so that the dashboard has a group large enough
    # to chart. An encounter is opened today: the policies in force today decide it (the 2025
    # interim guidance).
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    for index in range(6):
        other = person(token, f"A20000000{index}")
        api("POST", "/api/v1/encounters", token, {"personId": other["id"], "action": "arrest", "asOf": today})

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900"]:
        options.add_argument(argument)
    if DEVICE == "phone":
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "mobile": True, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"})
    os.makedirs(SHOTS, exist_ok=True)

    def signed_in(username, purpose):
        driver = webdriver.Chrome(options=options)
        drivers.append(driver)
        driver.get(f"{base}/login")
        if username == "officer-nyc":
            visit(driver, "login", "the sign-in page")
        driver.find_element(By.ID, "username").send_keys(username)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, f"#purpose option[value='{purpose}']").click()
        follow(driver, By.CSS_SELECTOR, "form[action='/login'] button")
        return driver

    # The officer opens the encounter from the form (today, the day it proposes): a U petitioner,
    # exceptional circumstances asserted.
    officer = signed_in("officer-nyc", "law-enforcement")
    # The person and their claimed U petition, added from the pages: the A-number searched first.
    follow(officer, By.LINK_TEXT, "Find a person")
    officer.find_element(By.ID, "search-aNumber").send_keys("A123456780")
    follow(officer, By.CSS_SELECTOR, "form[action='/people/find'] button")
    visit(officer, "person-find", "the search for a person")
    check("No one with A-number A123456780 is on record" in officer.page_source, "the search finds no one")
    for field, value in [("givenName", "Ana"), ("familyName", "Doe"), ("country", "GT")]:
        officer.find_element(By.ID, field).send_keys(value)
    officer.execute_script("document.getElementById('dateOfBirth').value = '1990-04-02'")
    follow(officer, By.CSS_SELECTOR, "form[action='/people'] button")
    check("Added Ana Doe." in officer.find_element(By.CSS_SELECTOR, ".banner-success").text, "the person is added")
    officer.find_element(By.CSS_SELECTOR, "#type option[value='U']").click()
    officer.find_element(By.ID, "receiptNumber").send_keys("EAC2390000001")
    follow(officer, By.CSS_SELECTOR, "form[action$='/filings'] button")
    visit(officer, "person", "a person's page")
    check("U visa (principal), pending, receipt EAC2390000001" in officer.page_source and "claimed, not verified" in officer.page_source,
          "the claimed filing is added")
    check("Guatemala" in officer.page_source, "the country is named, not coded")
    follow(officer, By.LINK_TEXT, "Open an encounter on this person")
    visit(officer, "encounter-new", "the form that opens an encounter")
    check(officer.find_element(By.ID, "asOf").get_attribute("value") == today, "the form proposes today")
    check(officer.find_element(By.ID, "aNumber").get_attribute("value") == "A123456780", "the form names the person")
    officer.find_element(By.CSS_SELECTOR, "#action option[value='arrest']").click()
    officer.find_element(By.ID, "fact-exceptionalCircumstances").click()
    # A mistyped A-number first: the form comes back with the problem linked to the field and
    # shown beside it, what was ticked still ticked; a reload shows the form, a page.
    officer.find_element(By.ID, "aNumber").clear()
    officer.find_element(By.ID, "aNumber").send_keys("A999999999")
    follow(officer, By.CSS_SELECTOR, "form[action='/encounters'] button")
    summary = officer.find_element(By.CSS_SELECTOR, ".banner-problem")
    check("no one with A-number A999999999 is on record" in summary.text and summary.find_elements(By.CSS_SELECTOR, "a[href='#aNumber']")
          and officer.find_elements(By.ID, "aNumber-problem") and officer.find_element(By.ID, "fact-exceptionalCircumstances").is_selected()
          and officer.find_element(By.CSS_SELECTOR, "#action option[value='arrest']").is_selected(),
          "the refused form links the problem to the field, shows it beside the field and keeps what was chosen")
    reloaded(officer, "the refused encounter form")
    check(officer.current_url.endswith("/encounters/new") and "There is a problem" not in officer.page_source, "the reload shows the form, the message once")
    officer.find_element(By.CSS_SELECTOR, "#action option[value='arrest']").click()
    officer.find_element(By.ID, "fact-exceptionalCircumstances").click()
    officer.find_element(By.ID, "aNumber").clear()
    officer.find_element(By.ID, "aNumber").send_keys("A123456780")
    follow(officer, By.CSS_SELECTOR, "form[action='/encounters'] button")
    page = officer.current_url
    check("/encounters/" in page and officer.find_element(By.CSS_SELECTOR, ".disposition").text == "May go ahead once the steps are done",
          "the encounter opens and its decision shows at once")
    check("Verify the claimed filing" in officer.find_element(By.CSS_SELECTOR, ".task-list").text, "the claimed filing must be verified first")
    check("Ana Doe" in officer.find_element(By.TAG_NAME, "h1").text and "A123456780" in officer.page_source, "the page says who the person is")
    visit(officer, "encounter-verification-owed", "the encounter page")

    simulator = "USCIS Case Status simulator (not real case data)"
    check(f"Ask {simulator}" in officer.page_source and officer.find_elements(By.ID, "verify-counterpart"),
          "the filing may be verified with USCIS, labelled as the simulator, or by hand")
    follow(officer, By.CSS_SELECTOR, "form[action$='/verification-at-source'] button")
    check("Consult OPLA" in officer.find_element(By.CSS_SELECTOR, ".task-list").text
          and f"verified in the source's records (answered by {simulator})" in officer.find_element(By.CSS_SELECTOR, ".summary-list").text
          and f"Asked {simulator}: the filing is on record as claimed" in officer.find_element(By.CSS_SELECTOR, ".banner-success").text,
          "USCIS's answer is recorded as the verification, the simulator named, with a banner; the OPLA consultation is owed")
    visit(officer, "encounter-verified-at-source", "the encounter page after the verification with USCIS")

    # Analysis of another day stores nothing: the same case under Directive 11005.3, without
    # exceptional circumstances, would be refrain.
    follow(officer, By.LINK_TEXT, "What changes if…")
    officer.execute_script("document.getElementById('asOf').value = '2023-05-01'")
    officer.find_element(By.ID, "flip-exceptionalCircumstances").click()
    follow(officer, By.CSS_SELECTOR, "form[action$='/what-if'] button")
    visit(officer, "what-if", "what changes if…")
    check("Decision: May go ahead once the steps are done → Do not take this action" in officer.page_source,
          "in 2023 without exceptional circumstances: refrain, side by side")

    officer.get(page)
    shot(officer, "encounter-gate-refused")
    check(not officer.find_elements(By.CSS_SELECTOR, "form[action$='/action']")
          and "can be recorded once the steps above are done" in officer.find_element(By.CSS_SELECTOR, ".blocked").text,
          "while the gate would refuse, the page says what is owed and offers no action")

    supervisor = signed_in("supervisor-nyc", "law-enforcement")
    visit(supervisor, "home-supervisor", "the supervisor's queue")
    check(page.rsplit("/", 1)[1] in supervisor.page_source, "the supervisor's queue lists the open encounter")

    attorney = signed_in("attorney-nyc", "legal-consultation")
    visit(attorney, "home-opla", "the attorney's consultation queue")
    encounter_id = page.rsplit("/", 1)[1]
    check("Consultations owed" in attorney.page_source and encounter_id in attorney.page_source, "the attorney's queue lists the consultation")
    follow(attorney, By.CSS_SELECTOR, f"a[href='/encounters/{encounter_id}']")
    attorney.find_element(By.ID, "summary-opla-consultation").send_keys("No legal bar; document the U filing in the file.")
    attorney.find_element(By.ID, "advice-none").click()
    attorney.find_element(By.ID, "counterpart-opla-consultation").send_keys("OPLA New York")
    follow(attorney, By.CSS_SELECTOR, "section[aria-labelledby='record-opla-consultation'] button")
    shot(attorney, "encounter-advice-recorded")
    check("No legal bar; document the U filing in the file." in attorney.page_source
          and "Consult OPLA (through the FOD or SAC)</span>" not in attorney.page_source, "the attorney's advice is recorded and no longer owed")

    officer.get(page)
    follow(officer, By.CSS_SELECTOR, "form[action$='/action'] button")
    shot(officer, "encounter-action-recorded")
    check("The arrest is recorded." in officer.page_source, "the officer then records the action")

    analyst = signed_in("analyst-nyc", "")
    check(analyst.current_url.endswith("/dashboard"), "the analyst lands on the dashboard")
    visit(analyst, "dashboard", "the dashboard")
    check(f"<title>{today[:7]}, ICE interim guidance of 30 January 2025, May go ahead: 7</title>" in analyst.page_source,
          "the chart shows this month under the 2025 guidance")
    check("A123456780" not in analyst.page_source, "the analyst sees no person")
    follow(analyst, By.LINK_TEXT, "Try a draft policy on the open encounters")
    visit(analyst, "drafts", "the form that tries a draft policy")
    # It reads filings: an analyst tries it as the service offers it, not from an upload.
    analyst.find_element(By.CSS_SELECTOR, "#offered option[value='0']").click()
    analyst.execute_script("document.getElementById('asOf').value = '2027-03-01'")
    follow(analyst, By.CSS_SELECTOR, "form[action='/policies/drafts'] button[value='page']")
    check("What would change" in analyst.page_source and "open encounters as of 2027-03-01 twice" in analyst.find_element(By.ID, "impact").find_element(By.XPATH, "..").text,
          "the draft is tried on the open encounters, in aggregate")
    check(not analyst.find_elements(By.CSS_SELECTOR, "button[value='list']") and "A123456780" not in analyst.page_source,
          "an analyst sees figures, never the encounters")
    visit(analyst, "drafts-impact", "what a draft policy would change")

    auditor = signed_in("auditor-nyc", "")
    auditor.get(page)
    shot(auditor, "encounter-withheld")
    check(MARKER in auditor.page_source and "U visa" not in auditor.page_source,
          "a user without need-to-know sees the withheld marker")
    auditor.get(f"{base}/audit")
    visit(auditor, "audit", "the audit log")
    follow(auditor, By.CSS_SELECTOR, "form[action='/audit/verify'] button")
    shot(auditor, "audit-verified")
    check("The audit chain verifies" in auditor.find_element(By.CSS_SELECTOR, ".message").text, "the auditor verifies the chain from the page")

    officer.get(f"{base}/policies")
    visit(officer, "policies", "the policy timeline")
    check("ice-interim-guidance-2025" in officer.page_source, "the policy timeline lists the 2025 guidance")
    follow(officer, By.LINK_TEXT, "Compare one case on two dates")
    # The case stated on the form: no filing, exceptional circumstances, 2023 against 2025.
    officer.execute_script("document.getElementById('first').value = '2023-05-01'")
    officer.find_element(By.CSS_SELECTOR, "#filingType option[value='none']").click()
    officer.find_element(By.ID, "fact-exceptionalCircumstances").click()
    follow(officer, By.CSS_SELECTOR, "form[action='/policies/compare'] button")
    visit(officer, "policies-compare", "one case on two dates")
    check("Newly in force: ICE interim guidance of 30 January 2025" in officer.page_source and "On 2023-05-01" in officer.page_source
          and officer.find_element(By.ID, "fact-exceptionalCircumstances").is_selected(), "one case stated on the form, on two dates side by side")

    # The hotline: a call taken, a victim registered for notification, a custody event delivered.
    specialist = signed_in("hotline-nyc", "victim-assistance")
    follow(specialist, By.LINK_TEXT, "Calls")
    visit(specialist, "hotline-calls", "the hotline's call intake")
    specialist.find_element(By.CSS_SELECTOR, "#category option[value='abuse-in-detention']").click()
    specialist.find_element(By.ID, "narrative").send_keys("Caller reports being denied medical care.")
    specialist.find_element(By.ID, "followUp").send_keys("Refer to the field office's detention standards officer.")
    follow(specialist, By.CSS_SELECTOR, "form[action='/hotline/calls'] button")
    check("Caller reports being denied medical care." in specialist.page_source and "The call is recorded." in specialist.page_source,
          "the hotline specialist records a call")
    specialist.find_element(By.CSS_SELECTOR, "#filter-category option[value='crime-tip']").click()
    follow(specialist, By.CSS_SELECTOR, "form[action='/hotline'] button")
    check("Caller reports being denied medical care." not in specialist.page_source and "No call matches." in specialist.page_source,
          "the list of calls filters by subject")
    follow(specialist, By.LINK_TEXT, "Registrations")
    visit(specialist, "hotline-registrations", "the registrations page")
    specialist.find_element(By.ID, "detaineeId").send_keys("A123456780")
    specialist.find_element(By.ID, "registrantName").send_keys("Rosa")
    specialist.find_element(By.CSS_SELECTOR, "#language option[value='es']").click()
    # Voice calls without the PIN they need: refused, with what was typed kept.
    specialist.find_element(By.ID, "voice").send_keys("+15553334444")
    specialist.find_element(By.ID, "consent").click()
    follow(specialist, By.CSS_SELECTOR, "form[action='/hotline/registrations'] button")
    check("a voice channel needs a PIN" in specialist.find_element(By.ID, "voicePin-problem").text
          and specialist.find_element(By.ID, "voicePin").get_attribute("aria-invalid") == "true"
          and specialist.find_element(By.ID, "detaineeId").get_attribute("value") == "A123456780"
          and specialist.find_element(By.CSS_SELECTOR, "#language option[value='es']").is_selected()
          and specialist.find_element(By.ID, "registrantName").get_attribute("value") == "" and "+15553334444" not in specialist.page_source,
          "the refused registration says why beside the field, keeps whom it is about, and not the registrant's name or number")
    reloaded(specialist, "the refused registration form")
    specialist.find_element(By.ID, "registrantName").clear()
    specialist.find_element(By.ID, "registrantName").send_keys("Rosa")
    specialist.find_element(By.ID, "detaineeId").clear()
    specialist.find_element(By.ID, "detaineeId").send_keys("A123456780")
    specialist.find_element(By.CSS_SELECTOR, "#language option[value='es']").click()
    specialist.find_element(By.ID, "voice").clear()
    specialist.find_element(By.ID, "sms").send_keys("+15553334444")
    if not specialist.find_element(By.ID, "consent").is_selected():
        specialist.find_element(By.ID, "consent").click()
    follow(specialist, By.CSS_SELECTOR, "form[action='/hotline/registrations'] button")
    follow(specialist, By.CSS_SELECTOR, "form[action$='/confirmation'] button")
    check("Confirm text message" not in specialist.page_source, "the registrant's text channel is confirmed")
    api("POST", "/api/v1/custody-events", feed_token, {"feedEventId": "walkthrough-1", "kind": "released-bond", "detaineeReference": "a-number",
                                                       "detaineeId": "A123456780", "occurredAt": "2026-11-20T14:00:00Z"})
    for _ in range(50):
        specialist.refresh()
        if '<td data-label="Channel">text message</td><td data-label="Status">delivered</td>' in specialist.page_source:
            break
        time.sleep(0.2)
    visit(specialist, "hotline-registration", "a registration's page")
    check('<td data-label="Channel">text message</td><td data-label="Status">delivered</td>' in specialist.page_source and any("fianza" in m["text"] for m in Gateway.received),
          "the release is told to the registrant, in Spanish, through the gateway")
    follow(specialist, By.LINK_TEXT, "Delivery status")
    visit(specialist, "hotline-status", "the delivery status")
    check('<td data-label="Status">delivered</td><td data-label="Notifications">1</td>' in specialist.page_source, "the operator's status counts the delivered notice")
finally:
    gateway.shutdown()
    for driver in drivers:
        driver.quit()
    server.terminate()
    server.wait()

print(f"{len(failures)} browser checks failed" if failures else "browser walkthrough: every check held")
sys.exit(1 if failures else 0)
