-- GET one video's status (or a list page) with the key from the environment.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("REELGEN_KEY")
