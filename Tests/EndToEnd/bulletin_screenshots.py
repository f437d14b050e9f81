"""The README's pictures of the bulletin: each map of bulletin.html, as headless Chromium draws it.

Usage: bulletin_screenshots.py BULLETIN_HTML OUT_DIR (run by `make screenshots`)."""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main():
    html, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=800,1200", "--hide-scrollbars"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get("file://" + html)
        figures = driver.find_elements(By.CSS_SELECTOR, "figure.map")
        names = ["coverage", "ledger", "hotspots", "overlap", "construction", "air"]
        for name, figure in zip(names, figures):
            driver.execute_script("arguments[0].scrollIntoView()", figure)
            figure.screenshot(os.path.join(out, "bulletin-%s.png" % name))
        print("wrote %d pictures to %s" % (min(len(figures), len(names)), out))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
