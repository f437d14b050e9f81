"""LandWatch's web application in a real browser (headless Chromium driven by Selenium).

A town account signs in, sees only its own entries on the map and in the list, reports a fix
with a photo; the bureau approves it; `landwatch ledger history` and `ledger report` then show
the entry closed with that measure. Run by Tests/Services/e2e.sh (make e2e, make test).
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait


def wait(driver, seconds):
    """A wait that reads the page again when a click replaced it under the element being read."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))

CHECKS = []


def check(name, ok, detail=""):
    CHECKS.append((name, bool(ok)))
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def png(path, width=64, height=48):
    """A real PNG (a green field), written with zlib: what a town clerk's phone would send."""
    raw = b"".join(b"\x00" + bytes([60, 160, 60]) * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]:
        options.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def sign_in(driver, base, name, password):
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait(driver, 20).until(EC.presence_of_element_located((By.ID, "map")))


def map_ready(driver):
    """Waits until the map has drawn its entries; returns how many it drew."""
    wait(driver, 30).until(lambda d: d.find_element(By.ID, "map").get_attribute("data-ready") is not None)
    return int(driver.find_element(By.ID, "map").get_attribute("data-ready"))


def fetch_json(driver, url):
    """A request from the page itself, with the browser's session."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(done);", url)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--landwatch", required=True)
    p.add_argument("--ledger", required=True)
    p.add_argument("--town", default="xhm")
    p.add_argument("--zone", default="西红门镇")
    p.add_argument("--admin", default="bureau")
    p.add_argument("--screenshots")
    a = p.parse_args()
    photo = os.path.join(tempfile.mkdtemp(), "fixed.png")
    png(photo)
    driver = browser()
    try:
        # The town: its own entries only, on the map and in the list.
        sign_in(driver, a.base, a.town, a.town + "-password")
        drawn = map_ready(driver)
        mine = fetch_json(driver, "/api/entries")
        check("the town's map draws its entries", drawn == len(mine) and drawn > 0, f"{drawn} drawn, {len(mine)} listed")
        check("the town's entries are all in its zone", all(e["zone"] == a.zone for e in mine))
        entries_on_map = fetch_json(driver, driver.find_element(By.ID, "map").get_attribute("data-entries"))
        check("the map's GeoJSON holds only the town's zone",
              all(f["properties"]["zone"] == a.zone for f in entries_on_map["features"]))
        if a.screenshots:
            driver.save_screenshot(os.path.join(a.screenshots, "web-overview.png"))
        driver.get(a.base + "/entries?state=open")
        zones = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "table.entries tbody tr td:nth-child(2)")]
        check("the list shows only the town's zone", zones and all(z == a.zone for z in zones), str(set(zones)))
        if a.screenshots:
            driver.save_screenshot(os.path.join(a.screenshots, "web-list.png"))
        # Reports a fix on the first open entry, with a photo.
        first = driver.find_element(By.CSS_SELECTOR, "table.entries tbody tr td a")
        entry = first.text
        first.click()
        form = wait(driver, 20).until(EC.presence_of_element_located((By.ID, "report-form")))
        Select(form.find_element(By.NAME, "measure")).select_by_value("苫盖")
        form.find_element(By.NAME, "note").send_keys("已用防尘网苫盖 <script>alert(1)</script>")
        form.find_element(By.NAME, "photo").send_keys(photo)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(driver, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".photos img")))
        check("the report is on the entry's page with its photo", "申请销账" in driver.find_element(By.CSS_SELECTOR, "table.facts").text)
        check("the note shows as text", "<script>alert(1)</script>" in driver.find_element(By.CSS_SELECTOR, "table.history").text)
        driver.find_element(By.CSS_SELECTOR, "nav form button").click()
        wait(driver, 20).until(EC.presence_of_element_located((By.NAME, "password")))
        # The bureau approves it.
        sign_in(driver, a.base, a.admin, a.admin + "-password")
        driver.get(a.base + "/entries/" + entry)
        approve = wait(driver, 20).until(EC.presence_of_element_located((By.ID, "approve-form")))
        if a.screenshots:
            map_ready(driver)
            driver.save_screenshot(os.path.join(a.screenshots, "web-entry.png"))
        approve.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(driver, 20).until(lambda d: "已销账" in d.find_element(By.CSS_SELECTOR, "table.facts").text)
        check("the bureau's approval closes the entry", True)
    finally:
        driver.quit()
    # The command line agrees.
    history = json.loads(subprocess.run([a.landwatch, "ledger", "history", entry, "--ledger", a.ledger, "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)
    last = history[-1]
    check("ledger history: approved with the reported measure, by the bureau",
          (last["event"], last["reason"], last["state"], last["actor"]) == ("approved", "苫盖", "closed", a.admin), str(last))
    check("ledger history: reported by the town", history[-2]["event"] == "reported" and history[-2]["actor"] == a.town, str(history[-2]))
    day = last["date"]
    report = json.loads(subprocess.run([a.landwatch, "ledger", "report", "--ledger", a.ledger, "--from", day, "--to", day, "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    row = next((r for r in report if r["zone"] == a.zone), {})
    check("ledger report counts it closed", row.get("closed") == 1, str(row))
    failed = sum(1 for _, ok in CHECKS if not ok)
    print(f"e2e: {len(CHECKS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
