-- A cache hit whose answer is large enough to compress (three variants), asked with the
-- Accept-Encoding in ACCEPT_ENCODING ("identity" for none).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("REELGEN_KEY")
wrk.headers["Accept-Encoding"] = os.getenv("ACCEPT_ENCODING")
wrk.body = '{"content_description":"Beautiful sunset over the ocean","style":"inspirational","hashtag_count":15,"variants":3}'
