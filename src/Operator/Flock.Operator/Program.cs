using Flock.Operator.Controllers;
using Flock.Operator.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Write(OperatorApplication.Usage());
    return 0;
}

await using var app = OperatorApplication.Build(args, services => services.AddSingleton<IControllerSetup, WorkerControllerSetup>());
await app.RunAsync();
return 0;
