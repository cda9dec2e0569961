"""The public district and project pages and the one-page outcomes PDF (시민
공개 페이지): accepted figures of published projects only, counts and money,
never people."""
