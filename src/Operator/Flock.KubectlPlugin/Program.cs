using Flock.KubectlPlugin;

// kubectl-flock: kubectl runs it for `kubectl flock …` when it is on PATH, passing the arguments after "flock".
return await PluginApp.RunAsync(args, Console.Out, Console.Error);
