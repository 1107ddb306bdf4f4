using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// The database. Core's entities mapped as they are; each provider has its own subclass only so that
/// SQLite and PostgreSQL keep separate migration histories. It also keeps ASP.NET Core's data-protection keys
/// (the console's cookies and anti-forgery tokens), so every host on the database reads what another one wrote.
/// </summary>
public abstract class JukwaaDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<MessageRecord> Messages => Set<MessageRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<Officer> Officers => Set<Officer>();
    public DbSet<ReportEvent> ReportEvents => Set<ReportEvent>();
    public DbSet<SignInToken> SignInTokens => Set<SignInToken>();
    public DbSet<OfficerAlert> OfficerAlerts => Set<OfficerAlert>();
    public DbSet<QuestionnaireResponse> QuestionnaireResponses => Set<QuestionnaireResponse>();
    public DbSet<QuestionnaireAnswer> QuestionnaireAnswers => Set<QuestionnaireAnswer>();
    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();
    public DbSet<PublishedScorecard> PublishedScorecards => Set<PublishedScorecard>();
    public DbSet<ScorecardSubscription> ScorecardSubscriptions => Set<ScorecardSubscription>();
    public DbSet<ScorecardDelivery> ScorecardDeliveries => Set<ScorecardDelivery>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Each key's XML is sealed with Protection:EncryptionKey before it is stored (Host's SealedKeyXml).
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<Person>(person =>
        {
            person.ToTable("people");
            person.HasKey(p => p.Id);
            person.Property(p => p.AddressHash).HasMaxLength(64);
            person.HasIndex(p => p.AddressHash).IsUnique();
            person.Property(p => p.Language).HasMaxLength(8);
            person.Property(p => p.TelegramHash).HasMaxLength(64);
            person.HasIndex(p => p.TelegramHash);
        });

        modelBuilder.Entity<Conversation>(conversation =>
        {
            conversation.ToTable("conversations");
            conversation.HasKey(c => c.Id);
            conversation.Property(c => c.ProviderSessionId).HasMaxLength(128);
            conversation.Property(c => c.DialogId).HasMaxLength(64);
            conversation.Property(c => c.State).HasMaxLength(64);
            conversation.Property(c => c.Version).IsConcurrencyToken();
            conversation.HasIndex(c => new { c.Channel, c.ProviderSessionId }).IsUnique();
            conversation.HasIndex(c => new { c.PersonId, c.Channel, c.UpdatedAt });
            conversation.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId);
        });

        modelBuilder.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.HasKey(r => r.Id);
            report.Property(r => r.Reference).HasMaxLength(16);
            report.HasIndex(r => r.Reference).IsUnique();
            report.Property(r => r.Category).HasMaxLength(64);
            report.Property(r => r.CountyCode).HasMaxLength(3);
            report.Property(r => r.Language).HasMaxLength(8);
            report.Property(r => r.ReplyProvider).HasMaxLength(32);
            report.Property(r => r.Version).IsConcurrencyToken();
            report.HasIndex(r => new { r.CountyCode, r.Status });
            // The console's figures, counted from indexes alone: open reports by county and category, and what arrived when.
            report.HasIndex(r => new { r.Status, r.CountyCode, r.Category, r.CreatedAt, r.Reference });
            report.HasIndex(r => new { r.CreatedAt, r.CountyCode, r.Category, r.FirstActionMinutes });
            report.HasIndex(r => new { r.CountyCode, r.CreatedAt, r.Category, r.FirstActionMinutes });
            report.HasOne<Person>().WithMany().HasForeignKey(r => r.ReporterId);
        });

        modelBuilder.Entity<MessageRecord>(message =>
        {
            message.ToTable("messages");
            message.HasKey(m => m.Id);
            message.Property(m => m.ProviderMessageId).HasMaxLength(128);
            message.HasIndex(m => m.ConversationId);
            message.HasIndex(m => m.At);
            // Durable dedupe: a provider's message id is stored once (ids are prefixed by provider).
            message.HasIndex(m => m.ProviderMessageId).IsUnique();
        });

        modelBuilder.Entity<Officer>(officer =>
        {
            officer.ToTable("officers");
            officer.HasKey(o => o.Id);
            officer.Property(o => o.Name).HasMaxLength(200);
            officer.Property(o => o.Counties).HasMaxLength(400);
            officer.Property(o => o.TelegramHash).HasMaxLength(64);
            officer.Property(o => o.PhoneHash).HasMaxLength(64);
            // One active officer per Telegram account; a disabled officer's account may be registered again.
            officer.HasIndex(o => o.TelegramHash).IsUnique().HasFilter("\"Disabled\" = FALSE");
            officer.Ignore(o => o.CountyCodes);
            officer.Ignore(o => o.CoversAllCounties);
        });

        modelBuilder.Entity<ReportEvent>(reportEvent =>
        {
            reportEvent.ToTable("report_events");
            reportEvent.HasKey(e => e.Id);
            reportEvent.HasIndex(e => e.ReportId);
            reportEvent.HasOne<Report>().WithMany().HasForeignKey(e => e.ReportId);
        });

        modelBuilder.Entity<SignInToken>(token =>
        {
            token.ToTable("signin_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.ExpiresAt);
            token.HasOne<Officer>().WithMany().HasForeignKey(t => t.OfficerId);
        });

        modelBuilder.Entity<OfficerAlert>(alert =>
        {
            alert.ToTable("officer_alerts");
            alert.HasKey(a => a.Id);
            // Never twice: one row per officer and report, whichever host or worker tick got there first.
            alert.HasIndex(a => new { a.OfficerId, a.ReportId }).IsUnique();
            alert.HasIndex(a => a.ReportId);
            alert.HasOne<Officer>().WithMany().HasForeignKey(a => a.OfficerId);
            alert.HasOne<Report>().WithMany().HasForeignKey(a => a.ReportId);
        });

        modelBuilder.Entity<QuestionnaireResponse>(response =>
        {
            response.ToTable("questionnaire_responses");
            response.HasKey(r => r.Id);
            response.Property(r => r.QuestionnaireId).HasMaxLength(64);
            response.Property(r => r.CountyCode).HasMaxLength(3);
            // A person completes each version once.
            response.HasIndex(r => new { r.QuestionnaireId, r.Version, r.PersonId }).IsUnique();
            response.HasIndex(r => new { r.QuestionnaireId, r.CountyCode });
            response.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId);
        });

        modelBuilder.Entity<QuestionnaireAnswer>(answer =>
        {
            answer.ToTable("questionnaire_answers");
            answer.HasKey(a => a.Id);
            answer.Property(a => a.QuestionId).HasMaxLength(64);
            answer.Property(a => a.Value).HasMaxLength(500);
            answer.HasIndex(a => new { a.ResponseId, a.QuestionId }).IsUnique();
            answer.HasOne<QuestionnaireResponse>().WithMany().HasForeignKey(a => a.ResponseId);
        });

        modelBuilder.Entity<IndicatorValue>(value =>
        {
            value.ToTable("indicator_values");
            value.HasKey(v => v.Id);
            value.Property(v => v.CountyCode).HasMaxLength(3);
            value.Property(v => v.Quarter).HasMaxLength(6);
            value.Property(v => v.IndicatorId).HasMaxLength(64);
            value.Property(v => v.Source).HasMaxLength(500);
            value.Property(v => v.Target).HasPrecision(18, 2);
            value.Property(v => v.Achieved).HasPrecision(18, 2);
            value.HasIndex(v => new { v.CountyCode, v.Quarter, v.IndicatorId }).IsUnique();
        });

        modelBuilder.Entity<PublishedScorecard>(published =>
        {
            published.ToTable("published_scorecards");
            published.HasKey(p => p.Id);
            published.Property(p => p.Quarter).HasMaxLength(6);
            published.Property(p => p.CountyCode).HasMaxLength(3);
            published.HasIndex(p => new { p.Quarter, p.CountyCode }).IsUnique();
            published.HasIndex(p => new { p.CountyCode, p.Quarter });
            published.Property(p => p.CorrectionReason).HasMaxLength(ScorecardPublisher.MaxReasonLength);
            published.Property(p => p.WithdrawnReason).HasMaxLength(ScorecardPublisher.MaxReasonLength);
        });

        modelBuilder.Entity<ScorecardSubscription>(subscription =>
        {
            subscription.ToTable("scorecard_subscriptions");
            subscription.HasKey(s => s.PersonId);
            subscription.Property(s => s.CountyCode).HasMaxLength(3);
            subscription.Property(s => s.Provider).HasMaxLength(32);
            subscription.HasOne<Person>().WithMany().HasForeignKey(s => s.PersonId);
        });

        modelBuilder.Entity<ScorecardDelivery>(delivery =>
        {
            delivery.ToTable("scorecard_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Quarter).HasMaxLength(6);
            delivery.HasIndex(d => new { d.Quarter, d.PersonId, d.Revision }).IsUnique();
        });

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox");
            outbox.HasKey(o => o.Id);
            outbox.Property(o => o.Provider).HasMaxLength(32);
            outbox.Property(o => o.ProviderMessageId).HasMaxLength(128);
            outbox.Property(o => o.Error).HasMaxLength(500);
            outbox.Property(o => o.Version).IsConcurrencyToken();
            outbox.HasIndex(o => new { o.Status, o.NextAttemptAt });
            outbox.HasIndex(o => new { o.Provider, o.ProviderMessageId });
            outbox.HasIndex(o => o.AboutPersonId);
            outbox.HasOne<Person>().WithMany().HasForeignKey(o => o.PersonId);
        });
    }
}

public sealed class SqliteJukwaaDbContext(DbContextOptions<SqliteJukwaaDbContext> options) : JukwaaDbContext(options);

public sealed class PostgresJukwaaDbContext(DbContextOptions<PostgresJukwaaDbContext> options) : JukwaaDbContext(options);
