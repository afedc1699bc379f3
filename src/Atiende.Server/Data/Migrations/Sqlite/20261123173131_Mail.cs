using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atiende.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Mail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContentId",
                table: "Attachments",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Inline",
                table: "Attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "EmailHeaders",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FoldedText",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RawSha256",
                table: "Articles",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BlockedSenders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Pattern = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlockedSenders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MailAccounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    SenderName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DefaultGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    InboundProtocol = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    InboundHost = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    InboundPort = table.Column<int>(type: "INTEGER", nullable: false),
                    InboundSecurity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    InboundUser = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    InboundPasswordProtected = table.Column<string>(type: "TEXT", nullable: true),
                    InboundFolder = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    DeleteAfterImport = table.Column<bool>(type: "INTEGER", nullable: false),
                    SmtpHost = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    SmtpPort = table.Column<int>(type: "INTEGER", nullable: false),
                    SmtpSecurity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SmtpUser = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    SmtpPasswordProtected = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailAccounts_Groups_DefaultGroupId",
                        column: x => x.DefaultGroupId,
                        principalTable: "Groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "MailMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    ArticleId = table.Column<long>(type: "INTEGER", nullable: true),
                    Outbound = table.Column<bool>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailMessages_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    ArticleId = table.Column<long>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Raw = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Outbox_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Quarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Raw = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    From = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Quarantine", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BlockedSenders_Pattern",
                table: "BlockedSenders",
                column: "Pattern",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailAccounts_Address",
                table: "MailAccounts",
                column: "Address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailAccounts_DefaultGroupId",
                table: "MailAccounts",
                column: "DefaultGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_MailAccounts_Name",
                table: "MailAccounts",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_MessageId",
                table: "MailMessages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_TicketId",
                table: "MailMessages",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_ArticleId",
                table: "Outbox",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_Status_NextAttemptAt",
                table: "Outbox",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_TicketId",
                table: "Outbox",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_Quarantine_Status_Id",
                table: "Quarantine",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BlockedSenders");

            migrationBuilder.DropTable(
                name: "MailAccounts");

            migrationBuilder.DropTable(
                name: "MailMessages");

            migrationBuilder.DropTable(
                name: "Outbox");

            migrationBuilder.DropTable(
                name: "Quarantine");

            migrationBuilder.DropColumn(
                name: "ContentId",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "Inline",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "EmailHeaders",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "FoldedText",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "RawSha256",
                table: "Articles");
        }
    }
}
