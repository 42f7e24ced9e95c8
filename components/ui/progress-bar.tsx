/**
 * The thin bar across the top of the window that says a page is on its way. Shown by NavigationProgress between a
 * click and the URL changing, and by the loading skeletons after that until the page's content arrives.
 */
export function TopProgressBar() {
  return (
    <div aria-hidden data-testid="navigation-progress" className="pointer-events-none fixed inset-x-0 top-0 z-[60] h-0.5">
      <div className="h-full w-full origin-left animate-[nav-progress_1.2s_ease-out_infinite] bg-primary" />
    </div>
  );
}
