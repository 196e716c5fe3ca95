using Flock.Bench;

// `make bench`: each benchmark prints a Markdown table. Arguments select benchmarks (default: sandbox, runtime, operator, akash,
// image; fuzz, soak and crash run only when named: BENCH=fuzz, BENCH=soak, BENCH=crash).
var selected = args.Length == 0 ? ["sandbox", "runtime", "operator", "akash", "image"] : args;
foreach (var name in selected)
{
    switch (name)
    {
        case "sandbox":
            await SandboxBenchmark.RunAsync(objects: 10_000);
            break;
        case "runtime":
            await RuntimeBenchmark.RunAsync(resources: 1_000);
            break;
        case "operator":
            await OperatorBenchmark.RunAsync(resources: 1_000);
            break;
        case "akash":
            await AkashBenchmark.RunAsync(resources: 100);
            break;
        case "image":
            await ImageBenchmark.RunAsync(resources: 200);
            break;
        case "fuzz":
            // Not in the default set: it runs for minutes. FUZZ_SECONDS sets the time per target.
            var seconds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), out var s) && s > 0 ? s : 60;
            if (FuzzBenchmark.Run(seconds) > 0) return 1;
            break;
        case "soak": // SOAK_MINUTES (default 10), SOAK_RESOURCES (default 1,000); not in the default set
            await Flock.Bench.Soak.SoakBenchmark.RunAsync(resources: int.TryParse(Environment.GetEnvironmentVariable("SOAK_RESOURCES"), out var r) && r > 0 ? r : 1_000);
            break;
        case "crash": // the crash-point suite's full matrix; not in the default set
            if (await CrashMatrixBenchmark.RunAsync() != 0) return 1;
            break;
        default:
            Console.Error.WriteLine($"unknown benchmark {name}; known: sandbox, runtime, operator, akash, image, fuzz, soak, crash");
            return 2;
    }
}

return 0;
