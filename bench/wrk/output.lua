-- POST /v1/outputs: one 1080p image (SG_IMAGE) under one admission (SG_ADMISSION), multipart.
local f = assert(io.open(os.getenv("SG_IMAGE"), "rb"))
local image = f:read("*a")
f:close()
local boundary = "synthgatebenchboundary"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SG_KEY")
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n" ..
           'Content-Disposition: form-data; name="admission_id"\r\n\r\n' ..
           os.getenv("SG_ADMISSION") .. "\r\n" ..
           "--" .. boundary .. "\r\n" ..
           'Content-Disposition: form-data; name="file"; filename="out.png"\r\n' ..
           "Content-Type: image/png\r\n\r\n" .. image .. "\r\n" ..
           "--" .. boundary .. "--\r\n"
