using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atiende.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MailOutbound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Automatic",
                table: "Outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "AccountId",
                table: "MailMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_Automatic_CreatedAt",
                table: "Outbox",
                columns: new[] { "Automatic", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_ArticleId",
                table: "MailMessages",
                column: "ArticleId");

            migrationBuilder.AddForeignKey(
                name: "FK_MailMessages_Articles_ArticleId",
                table: "MailMessages",
                column: "ArticleId",
                principalTable: "Articles",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Outbox_Articles_ArticleId",
                table: "Outbox",
                column: "ArticleId",
                principalTable: "Articles",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MailMessages_Articles_ArticleId",
                table: "MailMessages");

            migrationBuilder.DropForeignKey(
                name: "FK_Outbox_Articles_ArticleId",
                table: "Outbox");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_Automatic_CreatedAt",
                table: "Outbox");

            migrationBuilder.DropIndex(
                name: "IX_MailMessages_ArticleId",
                table: "MailMessages");

            migrationBuilder.DropColumn(
                name: "Automatic",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "AccountId",
                table: "MailMessages");
        }
    }
}
