using Flock.Operator;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Write(OperatorApplication.Usage());
    return 0;
}

await using var app = OperatorApplication.Build(args, (services, configuration) => services.AddFlockWorkers(configuration));
await app.RunAsync();
return 0;
