using System.Diagnostics;

namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>Runs a program to completion with a private HOME and a chosen environment.</summary>
internal static class Processes
{
    public static Task<ProcessResult> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        // Nothing of the runner's own cluster settings may reach the program.
        start.Environment.Remove("KUBECONFIG");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return ChildProcess.RunAsync(start, stdin);
    }
}
