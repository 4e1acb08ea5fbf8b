using LinkActors.Host.Cli;

return CommandLine.Build().Parse(args).Invoke();
