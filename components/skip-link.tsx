"use client";
// "Skip to content": the first tab stop on every page. Pages have exactly one <main>; it is focused
// (made focusable on the fly) so the next Tab continues inside the content, not in the header.
export function SkipLink() {
  return (
    <a
      href="#main"
      data-testid="skip-link"
      onClick={(e) => {
        const main = document.querySelector<HTMLElement>("main");
        if (!main) return;
        e.preventDefault();
        if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
        main.focus();
        main.scrollIntoView();
      }}
      className="sr-only rounded-md bg-card px-3 py-2 text-sm font-medium text-indigo-700 shadow-md focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[100]"
    >
      Skip to content
    </a>
  );
}
