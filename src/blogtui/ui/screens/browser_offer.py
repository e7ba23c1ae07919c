"""Offering a link in the web browser: the full URL is shown, it opens only when confirmed,
and anything not allowed (`ui.browser.checked_url`) is refused with the reason."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from blogtui.ui.browser import RefusedLink, checked_url, open_in_browser
from blogtui.ui.display import display
from blogtui.ui.messages import WorkFailed
from blogtui.ui.screens.outbox_text import SentReply, comments_url, toast

if TYPE_CHECKING:
    from textual.widget import Widget


def _open(node: Widget, url: str) -> None:
    """Start the browser (a thread worker); tell `node` when none could be started."""
    if not open_in_browser(url):
        node.post_message(WorkFailed("No browser", "No web browser could be started."))


def _confirm(node: Widget, title: str, question: str, url: str, yes: str) -> None:
    from blogtui.ui.screens.dialogs import ConfirmScreen

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            node.run_worker(
                partial(_open, node, url), thread=True, exit_on_error=False, group="browser"
            )

    node.app.push_screen(ConfirmScreen(title, question, yes=yes), answered)


def _checked(node: Widget, url: str) -> str | None:
    try:
        return checked_url(url)
    except RefusedLink as refusal:
        node.notify(str(refusal), title="Link refused", severity="error", markup=False)
        return None


def open_checked(node: Widget, url: str) -> bool:
    """Open `url` now (the user already saw it and chose to open it); refuse anything not
    allowed. True when a browser is being started."""
    safe = _checked(node, url)
    if safe is not None:
        node.run_worker(
            partial(_open, node, safe), thread=True, exit_on_error=False, group="browser"
        )
    return safe is not None


def confirm_browser(node: Widget, url: str) -> None:
    """Show the full URL and open it only when confirmed; refuse anything not allowed."""
    safe = _checked(node, url)
    if safe is not None:
        _confirm(node, "Open in the browser?", safe, safe, "Open")


def offer_article(node: Widget, url: str, *, ask: bool) -> None:
    """The open article's own link (`o`): shown and opened when confirmed when `ask` (the
    config's `confirm_open`), else opened at once; refused when not allowed either way."""
    if ask:
        confirm_browser(node, url)
    else:
        open_checked(node, url)


def follow_link(node: Widget, links: list[str]) -> None:
    """Ask for the number of one of `links` (1 is the first), then offer to open it."""
    from blogtui.ui.screens.dialogs import PromptScreen

    if not links:
        node.notify("The open article has no numbered links.", severity="warning", markup=False)
        return

    def follow(answer: str | None) -> None:
        if answer is None:  # escape
            return
        if not answer and len(links) == 1:
            answer = "1"  # the only link: the obvious one
        if not answer:
            text = f"No link number given; nothing opened (links 1-{len(links)})."
            node.notify(text, markup=False)
            return
        digits = answer.strip().strip("[]")
        number = int(digits) if digits.isascii() and digits.isdigit() else 0
        if not 1 <= number <= len(links):
            node.notify(f"There is no link [{display(answer, limit=20)}].", markup=False)
            return
        confirm_browser(node, links[number - 1])

    example = min(3, len(links))
    prompt = PromptScreen(
        f"Follow link number (1-{len(links)})", placeholder=f"link number, e.g. {example}"
    )
    node.app.push_screen(prompt, follow)


def offer_comments(node: Widget, article_url: str, reason: str, *, exact: bool = False) -> bool:
    """Say plainly why blogtui cannot post, and offer the article's comments in the browser
    (`exact`: `article_url` as it is, else its `#comments`); only while `node`'s screen is the
    one shown (not over the editor or a dialog: there `b` on the drafts screen offers it).
    True when offered."""
    safe = _checked(node, article_url if exact else comments_url(article_url))
    if safe is None or node.app.screen is not node.screen:
        return False
    question = f"{reason}\n\nComment in the web browser instead? This opens:\n{safe}"
    _confirm(node, "Cannot post from blogtui", question, safe, "Open in browser")
    return True


def offer_reply_page(node: Widget, url: str, reason: str, draft_text: str = "") -> bool:
    """`offer_comments` for a service whose replies are written on its own page (`url` as it
    is); with a draft, the dialog also offers to copy its text to the clipboard (through the
    terminal, OSC 52), only when the user asks, then offers the page again. True when offered."""
    if not draft_text.strip():
        return offer_comments(node, url, reason, exact=True)
    from blogtui.ui.screens.dialogs import ChoiceScreen

    safe = _checked(node, url)
    if safe is None or node.app.screen is not node.screen:
        return False

    def chosen(answer: str | None) -> None:
        if answer == "open":
            node.run_worker(
                partial(_open, node, safe), thread=True, exit_on_error=False, group="browser"
            )
        elif answer == "copy":
            node.app.copy_to_clipboard(draft_text)
            note = "Draft copied (through the terminal: it must allow OSC 52 clipboard writes)."
            node.notify(note, markup=False)
            offer_reply_page(node, url, reason, draft_text)

    question = f"{reason}\n\nComment in the web browser instead? This opens:\n{safe}"
    choices = [("open", "Open in browser"), ("copy", "Copy draft")]
    node.app.push_screen(ChoiceScreen("Cannot post from blogtui", question, choices), chosen)
    return True


def offer_unconfirmed(node: Widget, report: SentReply) -> bool:
    """A reply that may already be on the blog: say so (when it was sent, why that is unknown)
    and offer its article in the browser to look for it; only while `node`'s screen is the one
    shown. True when offered."""
    safe = _checked(node, report.article_url)
    if safe is None or node.app.screen is not node.screen:
        return False
    reason = toast(report)[0]
    question = (
        f"{reason}\n\nLook for it on the article's page in the web browser? This opens:\n{safe}"
    )
    _confirm(node, "May already be on the blog", question, safe, "Open in browser")
    return True
