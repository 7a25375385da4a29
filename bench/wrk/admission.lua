-- POST /v1/admissions with a text prompt; the user and key come from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SG_KEY")
wrk.body = '{"user_id": "' .. os.getenv("SG_USER") ..
           '", "service": "bench", "modality": "text", "prompt": "写一首关于月光下的猫的诗"}'
