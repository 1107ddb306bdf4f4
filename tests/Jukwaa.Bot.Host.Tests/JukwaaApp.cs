using System.Collections.Concurrent;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Storage;
using Jukwaa.Bot.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// The real host on a real SQLite file in a temporary folder, with its own keys, a clock the test
/// moves, and every log line kept so tests can check what was written.
/// </summary>
public sealed class JukwaaApp : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private bool _ownsFolder = true;
    private readonly string _provider;
    private bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings;

    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    public const string TwilioAuthToken = "test-twilio-auth-token";
    public const string TelegramSecretToken = "test_telegram-secret";

    public JukwaaApp(
        string? webhookSecret = null, string? dialogsPath = null, string environment = "Development",
        IReadOnlyDictionary<string, string?>? settings = null, string? folder = null, string provider = TestPostgres.Sqlite,
        Action<IServiceCollection>? services = null)
    {
        _environment = environment;
        _services = services;
        _provider = provider;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "jukwaa-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _settings = new()
        {
            ["ConnectionStrings:Jukwaa"] = $"Data Source={DatabaseFile}",
            ["Protection:HashKey"] = Convert.ToBase64String(PersonalDataProtector.NewKey()),
            ["Protection:EncryptionKey"] = Convert.ToBase64String(PersonalDataProtector.NewKey()),
            ["Dialogs:Path"] = dialogsPath ?? RepoPaths.Dialogs,
            ["Channels:AfricasTalking:WebhookSecret"] = webhookSecret,
            ["Channels:Twilio:AuthToken"] = TwilioAuthToken,
            ["Channels:Telegram:SecretToken"] = TelegramSecretToken,
            ["Outbox:PollInterval"] = "00:00:00.050",
        };
        // Outside Development a channel is fully configured or off: every channel on, its API a closed local port.
        if (environment != "Development") foreach (var (key, value) in ProductionChannels) _settings[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        if (provider == TestPostgres.Postgres && _settings["ConnectionStrings:Jukwaa"]!.StartsWith("Data Source=", StringComparison.Ordinal))
        {
            _settings["Database:Provider"] = "Postgres";
            _settings["ConnectionStrings:Jukwaa"] = TestPostgres.CreateDatabase();
            _ownsDatabase = true;
        }
    }

    /// <summary>Every channel fully configured, as a production host has them; nothing listens on port 9.</summary>
    public static IReadOnlyDictionary<string, string?> ProductionChannels { get; } = new Dictionary<string, string?>
    {
        ["Channels:AfricasTalking:Username"] = "jukwaa-test",
        ["Channels:AfricasTalking:ApiKey"] = "test-africastalking-api-key",
        ["Channels:AfricasTalking:ApiBaseUrl"] = "http://127.0.0.1:9/",
        ["Channels:Twilio:AccountSid"] = "AC_test_production_account",
        ["Channels:Twilio:FromNumber"] = "+15005550006",
        ["Channels:Twilio:ApiBaseUrl"] = "http://127.0.0.1:9/",
        ["Channels:Telegram:BotToken"] = "123456:test-production-token",
        ["Channels:Telegram:ApiBaseUrl"] = "http://127.0.0.1:9/",
    };

    /// <summary>A second host on the same database and keys, as after a restart; it takes over the files.</summary>
    public JukwaaApp Restart(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var next = new JukwaaApp(environment: _environment, folder: _folder, provider: _provider, settings: _settings.Concat(settings ?? new Dictionary<string, string?>())
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        next.Clock.SetUtcNow(Clock.GetUtcNow());
        next._ownsDatabase = _ownsDatabase;
        _ownsFolder = false;
        _ownsDatabase = false;
        return next;
    }

    /// <summary>Another host on the same database and keys, running at the same time (the same clock).</summary>
    public JukwaaApp Twin()
    {
        var twin = new JukwaaApp(environment: _environment, folder: _folder, provider: _provider, settings: _settings);
        twin.Clock.SetUtcNow(Clock.GetUtcNow());
        twin._ownsFolder = false;
        return twin;
    }

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public string DatabaseFile => Path.Combine(_folder, "jukwaa.db");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    public UssdCall Call(string? phone = null) => new(CreateClient(), phone ?? RandomPhone());

    public SmsPhone Sms(string? phone = null) => new(this, phone ?? RandomPhone());

    public TelegramChat Telegram(long? userId = null) => new(this, userId ?? Random.Shared.NextInt64(100_000_000, 999_999_999));

    /// <summary>Waits (at most 10 s) until the condition holds: background work such as the outbox runs on its own.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public static string RandomPhone() => "+2547" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs a query on the database the host uses.</summary>
    public async Task<T> QueryAsync<T>(Func<JukwaaDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<JukwaaDbContext>());
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsFolder)
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
        if (_ownsDatabase) TestPostgres.DropDatabase(_settings["ConnectionStrings:Jukwaa"]!);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
