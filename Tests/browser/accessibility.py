"""Accessibility checks run in the page itself: every control labelled, one h1 and no skipped
heading level, no duplicate id, the page's language and title set, text contrast at WCAG 2.1 AA
(4.5:1, 3:1 for large text; SVG text by its fill), and the keyboard order: Tab visits every
focusable control in document order (a date field's parts each take a Tab), each with a visible
focus outline."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

AUDIT = r"""
const problems = [];
const parse = text => {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const parts = m[1].split(/[ ,\/]+/).filter(Boolean).map(parseFloat);
  return {rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1};
};
const luminance = rgb => {
  const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const background = element => {
  for (let e = element; e; e = e.parentElement) {
    const color = parse(getComputedStyle(e).backgroundColor);
    if (color && color.alpha > 0) return color.rgb;
  }
  return [255, 255, 255];
};
for (const e of document.body.querySelectorAll('*')) {
  if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const style = getComputedStyle(e);
  if (style.display === 'none' || style.visibility === 'hidden' || e.closest('title, desc, option')) continue;
  const inSVG = e.closest('svg') !== null;
  const foreground = parse(inSVG ? style.fill : style.color);
  if (!foreground) { problems.push('no colour for "' + e.textContent.trim().slice(0, 40) + '"'); continue; }
  const back = inSVG ? [255, 255, 255] : background(e);
  const [a, b] = [luminance(foreground.rgb), luminance(back)];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < needed) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + needed + ' for "' + e.textContent.trim().slice(0, 40) + '"');
}
for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  const labelled = (control.id && document.querySelector('label[for="' + control.id + '"]')) || control.closest('label')
    || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
  if (!labelled) problems.push('no label for ' + (control.name || control.outerHTML.slice(0, 60)));
}
for (const button of document.querySelectorAll('button')) {
  if (!button.textContent.trim()) problems.push('a button without text');
}
const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]);
if (levels.filter(l => l === 1).length !== 1) problems.push(levels.filter(l => l === 1).length + ' h1 headings');
levels.forEach((level, i) => { if (i > 0 && level > levels[i - 1] + 1) problems.push('heading h' + level + ' after h' + levels[i - 1]); });
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push('duplicate id ' + id);
if (!document.documentElement.lang) problems.push('no lang on html');
if (!document.title.trim()) problems.push('no title');
if (document.querySelector('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])')) problems.push('a positive tabindex');
return problems;
"""

FOCUSABLE = r"""
const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, details > summary, [tabindex]:not([tabindex="-1"])')]
  .filter(e => !e.disabled && e.getClientRects().length > 0);
// Tab enters a group of radio buttons once: at the checked one, else the first.
const seen = new Set();
return all.filter(e => {
  if (e.type !== 'radio') return true;
  if (seen.has(e.name)) return false;
  seen.add(e.name);
  return true;
}).map(e => e.type === 'radio' ? (document.querySelector('input[type=radio][name="' + e.name + '"]:checked') || e) : e);
"""


def problems(driver):
    """What the page gets wrong, one line each; empty when every check holds."""
    found = list(driver.execute_script(AUDIT))
    expected = driver.execute_script(FOCUSABLE)
    # From the top of the document, as a keyboard user arriving on the page.
    driver.execute_script("if (document.activeElement) document.activeElement.blur(); window.focus();")
    previous = None
    for index, element in enumerate(expected):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        active = driver.switch_to.active_element
        # A date field takes one Tab per part (month, day, year) before the next control.
        for _ in range(4):
            if active != previous or previous.get_attribute("type") != "date":
                break
            ActionChains(driver).send_keys(Keys.TAB).perform()
            active = driver.switch_to.active_element
        previous = active
        if active != element:
            found.append(f"Tab {index + 1} reached {active.tag_name} '{active.text[:30]}', not {element.tag_name} '{element.text[:30]}'")
            break
        if driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active) == "none":
            found.append(f"no focus outline on {active.tag_name} '{active.text[:30]}'")
    return found
