using ZipFit.Host;

return new HostRunner(Console.Out, Console.Error).Run(args);
