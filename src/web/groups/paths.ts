/** URLs of the group pages, so every page links the same way. */
export const groupPaths = {
  community: (slug: string) => `/communities/${encodeURIComponent(slug)}`,
  membership: (slug: string) => `/communities/${encodeURIComponent(slug)}/membership`,
  join: (slug: string) => `/communities/${encodeURIComponent(slug)}/join`,
  leave: (slug: string) => `/communities/${encodeURIComponent(slug)}/leave`,
};
