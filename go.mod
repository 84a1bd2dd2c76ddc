module github.com/nssbench/nssbench

go 1.26.0

require (
	github.com/HdrHistogram/hdrhistogram-go v1.4.0 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/montanaflynn/stats v0.14.0 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	github.com/valyala/fastjson v1.6.10 // indirect
	golang.org/x/sync v0.25.0 // indirect
)
