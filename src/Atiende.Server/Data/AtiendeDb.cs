using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Mail;
using Atiende.Server.Notifications;
using Atiende.Server.Scheduler;
using Atiende.Server.Sla;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Data;

/// <summary>
/// The one DbContext. Each engine has a subclass only so that each keeps its own migrations
/// (Data/Migrations/Sqlite and Data/Migrations/Postgres); handlers depend on this base type.
/// </summary>
public abstract class AtiendeDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketTag> TicketTags => Set<TicketTag>();
    public DbSet<TicketCc> TicketCcs => Set<TicketCc>();
    public DbSet<TicketLink> TicketLinks => Set<TicketLink>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<HistoryEvent> History => Set<HistoryEvent>();
    public DbSet<TicketTombstone> Tombstones => Set<TicketTombstone>();
    public DbSet<SlaTarget> SlaTargets => Set<SlaTarget>();
    public DbSet<CalendarRow> Calendars => Set<CalendarRow>();
    public DbSet<SlaPolicyRow> SlaPolicies => Set<SlaPolicyRow>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SchedulerLease> SchedulerLeases => Set<SchedulerLease>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<MailAccount> MailAccounts => Set<MailAccount>();
    public DbSet<MailMessage> MailMessages => Set<MailMessage>();
    public DbSet<QuarantinedMail> Quarantine => Set<QuarantinedMail>();
    public DbSet<OutboxMail> Outbox => Set<OutboxMail>();
    public DbSet<BlockedSender> BlockedSenders => Set<BlockedSender>();

    public abstract DatabaseEngine Engine { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.Property(u => u.Email).HasMaxLength(254);
            e.HasIndex(u => u.Email).IsUnique();
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.Locale).HasMaxLength(10);
            e.Property(u => u.Role).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(u => new { u.Role, u.Id });
            e.HasIndex(u => u.OrganizationId);
            e.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.SetNull);
            e.Property(u => u.Version).IsConcurrencyToken();
            e.Ignore(u => u.IsStaff);
        });

        modelBuilder.Entity<Organization>(e =>
        {
            e.Property(o => o.Name).HasMaxLength(200);
            e.HasIndex(o => o.Name).IsUnique();
        });

        modelBuilder.Entity<Group>(e =>
        {
            e.Property(g => g.Name).HasMaxLength(200);
            e.HasIndex(g => g.Name).IsUnique();
            e.Property(g => g.Description).HasMaxLength(2000);
            e.HasOne<User>().WithMany().HasForeignKey(g => g.LeadId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<GroupMember>(e =>
        {
            e.HasKey(m => new { m.GroupId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiToken>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Ticket>(e =>
        {
            e.Property(t => t.Subject).HasMaxLength(TicketLimits.SubjectMaxLength);
            e.Property(t => t.Status).HasMaxLength(40);
            e.Property(t => t.PreviousStatus).HasMaxLength(40);
            e.Property(t => t.StatusCategory).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.Type).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.Visibility).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasOne<User>().WithMany().HasForeignKey(t => t.RequesterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Group>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(t => t.Tags).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.Cc).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.Articles).WithOne().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.History).WithOne().HasForeignKey(h => h.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.SlaTargets).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);

            // Every list filter has an index that ends in the default sort (updated, id), so the first page of any
            // filtered list reads a few index entries instead of scanning a million tickets.
            e.HasIndex(t => new { t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.StatusCategory, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.Status, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.AssigneeId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.GroupId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.RequesterId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.OrganizationId, t.UpdatedAt, t.Id });
            e.HasIndex(t => new { t.Priority, t.Id });
            e.HasIndex(t => t.SnoozedUntil);

            // The scheduler's due-time indexes: a pass with nothing due reads an empty range of each.
            e.HasIndex(t => t.SlaDueAt);
            e.HasIndex(t => new { t.Status, t.StatusChangedAt });
            e.HasIndex(t => new { t.StatusCategory, t.StatusChangedAt });
            e.HasIndex(t => new { t.Status, t.PendingReminderSentAt, t.StatusChangedAt });
        });

        modelBuilder.Entity<TicketTag>(e =>
        {
            e.HasKey(x => new { x.TicketId, x.Name });
            e.Property(x => x.Name).HasMaxLength(TicketLimits.TagMaxLength);
            e.HasIndex(x => new { x.Name, x.TicketId });
        });

        modelBuilder.Entity<TicketCc>(e =>
        {
            e.HasKey(x => new { x.TicketId, x.Email });
            e.Property(x => x.Email).HasMaxLength(254);
            e.HasIndex(x => new { x.Email, x.TicketId });
        });

        modelBuilder.Entity<TicketLink>(e =>
        {
            e.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(l => l.TicketId);
            e.HasIndex(l => l.LinkedTicketId);
            e.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Ticket>().WithMany().HasForeignKey(l => l.LinkedTicketId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Article>(e =>
        {
            e.Property(a => a.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.RawSha256).HasMaxLength(64);
            e.HasIndex(a => new { a.TicketId, a.Id });
            e.HasOne<User>().WithMany().HasForeignKey(a => a.AuthorId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(a => a.Attachments).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Attachment>(e =>
        {
            e.Property(a => a.FileName).HasMaxLength(255);
            e.Property(a => a.ContentType).HasMaxLength(255);
            e.Property(a => a.Sha256).HasMaxLength(64);
            e.Property(a => a.ContentId).HasMaxLength(255);
            e.HasIndex(a => a.ArticleId);
        });

        modelBuilder.Entity<HistoryEvent>(e =>
        {
            e.Property(h => h.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(h => h.Field).HasMaxLength(40);
            e.HasIndex(h => new { h.TicketId, h.Id });
        });

        modelBuilder.Entity<SlaTarget>(e =>
        {
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => new { x.TicketId, x.Kind, x.Cycle }).IsUnique();
            e.Ignore(x => x.IsOpen);
            e.Ignore(x => x.Target);
        });

        modelBuilder.Entity<CalendarRow>(e =>
        {
            e.ToTable("Calendars");
            e.Property(c => c.Name).HasMaxLength(200);
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.TimeZoneId).HasMaxLength(100);
        });

        modelBuilder.Entity<SlaPolicyRow>(e =>
        {
            e.ToTable("SlaPolicies");
            e.Property(p => p.Name).HasMaxLength(200);
            e.HasOne<CalendarRow>().WithMany().HasForeignKey(p => p.CalendarId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Group>().WithMany().HasForeignKey(p => p.ReassignToGroupId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<Notification>(e =>
        {
            e.Property(n => n.Kind).HasMaxLength(40);
            e.Property(n => n.Text).HasMaxLength(2000);
            e.HasIndex(n => new { n.UserId, n.Id });
            e.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SchedulerLease>(e =>
        {
            e.HasKey(l => l.Name);
            e.Property(l => l.Name).HasMaxLength(100);
            e.Property(l => l.Owner).HasMaxLength(200);
        });

        modelBuilder.Entity<Setting>(e =>
        {
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(100);
        });

        modelBuilder.Entity<MailAccount>(e =>
        {
            e.Property(a => a.Name).HasMaxLength(200);
            e.HasIndex(a => a.Name).IsUnique();
            e.Property(a => a.Address).HasMaxLength(254);
            e.HasIndex(a => a.Address).IsUnique();
            e.Property(a => a.SenderName).HasMaxLength(200);
            e.Property(a => a.InboundProtocol).HasConversion<string>().HasMaxLength(10);
            e.Property(a => a.InboundSecurity).HasConversion<string>().HasMaxLength(10);
            e.Property(a => a.SmtpSecurity).HasConversion<string>().HasMaxLength(10);
            e.Property(a => a.InboundHost).HasMaxLength(255);
            e.Property(a => a.InboundUser).HasMaxLength(255);
            e.Property(a => a.InboundFolder).HasMaxLength(255);
            e.Property(a => a.SmtpHost).HasMaxLength(255);
            e.Property(a => a.SmtpUser).HasMaxLength(255);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasOne<Group>().WithMany().HasForeignKey(a => a.DefaultGroupId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<MailMessage>(e =>
        {
            e.Property(m => m.MessageId).HasMaxLength(MailLimits.MessageIdMaxLength);
            e.HasIndex(m => m.MessageId).IsUnique();
            e.HasIndex(m => m.TicketId);
            e.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Article>().WithMany().HasForeignKey(m => m.ArticleId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<QuarantinedMail>(e =>
        {
            e.Property(q => q.Source).HasMaxLength(100);
            e.Property(q => q.Reason).HasMaxLength(2000);
            e.Property(q => q.MessageId).HasMaxLength(MailLimits.MessageIdMaxLength);
            e.Property(q => q.From).HasMaxLength(500);
            e.Property(q => q.Subject).HasMaxLength(1000);
            e.Property(q => q.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(q => new { q.Status, q.Id });
        });

        modelBuilder.Entity<OutboxMail>(e =>
        {
            e.Property(o => o.MessageId).HasMaxLength(MailLimits.MessageIdMaxLength);
            e.Property(o => o.Recipients).HasMaxLength((TicketLimits.MaxCc + 1) * 256); // the requester and every CC
            e.Property(o => o.LastError).HasMaxLength(2000);
            e.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(o => new { o.Status, o.NextAttemptAt });
            e.HasIndex(o => o.ArticleId);
            e.HasIndex(o => new { o.Automatic, o.CreatedAt });
            e.HasOne<Ticket>().WithMany().HasForeignKey(o => o.TicketId).OnDelete(DeleteBehavior.Cascade);

            // A relationship (not just a column), so a reply queued before its article is saved gets the article's id.
            e.HasOne<Article>().WithMany().HasForeignKey(o => o.ArticleId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<BlockedSender>(e =>
        {
            e.Property(b => b.Pattern).HasMaxLength(254);
            e.HasIndex(b => b.Pattern).IsUnique();
        });

        modelBuilder.Entity<TicketTombstone>(e =>
        {
            e.HasKey(t => t.TicketId);
            e.Property(t => t.TicketId).ValueGeneratedNever();
        });
    }
}

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
