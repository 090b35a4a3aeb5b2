using SalesPipeline.Delta.Bench;

// `worker` modes are used by the test suite to race writers from separate processes.
return args.Length > 0 && args[0] == "worker"
    ? await Worker.RunAsync(args[1..])
    : await Bench.RunAsync(args);
