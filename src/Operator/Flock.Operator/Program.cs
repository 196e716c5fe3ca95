using Flock.Operator.Runtime.Hosting;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Write(OperatorApplication.Usage());
    return 0;
}

await using var app = OperatorApplication.Build(args);
await app.RunAsync();
return 0;
