using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atiende.Server.Data.Migrations.Sqlite
{
    /// <summary>
    /// FTS5 indexes for ticket search, kept by triggers so no code path can forget them:
    /// ticket_fts (rowid = ticket id) holds subjects, article_fts (rowid = article id) holds bodies.
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, tokenize = 'unicode61 remove_diacritics 2');
                CREATE VIRTUAL TABLE article_fts USING fts5(body, ticket_id UNINDEXED, internal UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO ticket_fts(rowid, subject) SELECT "Id", "Subject" FROM "Tickets";
                INSERT INTO article_fts(rowid, body, ticket_id, internal) SELECT "Id", "BodyText", "TicketId", "Internal" FROM "Articles";
                CREATE TRIGGER tickets_fts_insert AFTER INSERT ON "Tickets" BEGIN
                    INSERT INTO ticket_fts(rowid, subject) VALUES (new."Id", new."Subject");
                END;
                CREATE TRIGGER tickets_fts_update AFTER UPDATE OF "Subject" ON "Tickets" BEGIN
                    UPDATE ticket_fts SET subject = new."Subject" WHERE rowid = new."Id";
                END;
                CREATE TRIGGER tickets_fts_delete AFTER DELETE ON "Tickets" BEGIN
                    DELETE FROM ticket_fts WHERE rowid = old."Id";
                END;
                CREATE TRIGGER articles_fts_insert AFTER INSERT ON "Articles" BEGIN
                    INSERT INTO article_fts(rowid, body, ticket_id, internal) VALUES (new."Id", new."BodyText", new."TicketId", new."Internal");
                END;
                CREATE TRIGGER articles_fts_update AFTER UPDATE OF "BodyText", "Internal" ON "Articles" BEGIN
                    UPDATE article_fts SET body = new."BodyText", internal = new."Internal" WHERE rowid = new."Id";
                END;
                CREATE TRIGGER articles_fts_delete AFTER DELETE ON "Articles" BEGIN
                    DELETE FROM article_fts WHERE rowid = old."Id";
                END;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER articles_fts_delete;
                DROP TRIGGER articles_fts_update;
                DROP TRIGGER articles_fts_insert;
                DROP TRIGGER tickets_fts_delete;
                DROP TRIGGER tickets_fts_update;
                DROP TRIGGER tickets_fts_insert;
                DROP TABLE article_fts;
                DROP TABLE ticket_fts;
                """);
        }
    }
}
