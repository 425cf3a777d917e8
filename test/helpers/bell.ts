/** The number the header's bell shows on a page (NaN when the page has no count). */
export const bellCount = (body: string) => Number(/<span class="bell-count">([0-9]+)<\/span>/.exec(body)?.[1] ?? NaN);
