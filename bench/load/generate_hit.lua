-- The same caption request every time: after the first, every answer is a cache hit.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("REELGEN_KEY")
wrk.body = '{"content_description":"Beautiful sunset over the ocean","style":"inspirational","hashtag_count":15}'
