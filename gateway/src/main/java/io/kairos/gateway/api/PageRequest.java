package io.kairos.gateway.api;

/** Paging query parameters of list endpoints; size 0 lets the service choose. */
record PageRequest(int size, String token) {

    static PageRequest of(String size, String token) {
        String cursor = token == null ? "" : token;
        if (size == null || size.isBlank()) {
            return new PageRequest(0, cursor);
        }
        try {
            int parsed = Integer.parseInt(size.strip());
            if (parsed >= 1) {
                return new PageRequest(parsed, cursor);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "INVALID_PAGE_SIZE", "pageSize must be a positive integer, got '" + size + "'",
                "/pageSize");
    }
}
