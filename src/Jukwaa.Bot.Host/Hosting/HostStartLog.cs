namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// Until the host has started, the generic host's own error log repeats the exception that Program.cs
/// reports in one line (a busy port) or lets the runtime print (anything else); once started, the host's
/// warnings and errors (a background service that failed) show as usual.
/// </summary>
public static class HostStartLog
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static WebApplicationBuilder QuietUntilStarted(this WebApplicationBuilder builder)
    {
        var flag = new StartedFlag();
        builder.Logging.AddFilter(HostCategory, level => flag.Started && level >= LogLevel.Warning);
        builder.Services.AddSingleton<IHostedService>(flag);
        return builder;
    }

    private sealed class StartedFlag : IHostedLifecycleService
    {
        private volatile bool _started;

        public bool Started => _started;

        public Task StartedAsync(CancellationToken cancellationToken)
        {
            _started = true;
            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
