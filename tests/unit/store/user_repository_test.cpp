#include "store/user_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/extension_repository.hpp"
#include "test_db.hpp"

namespace switchboard::store {
namespace {

User user(std::string username, std::string role = "user") {
  User u;
  u.username = std::move(username);
  u.display_name = "Display " + u.username;
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  u.role = std::move(role);
  return u;
}

class UserRepositoryTest : public testing::EngineTest {
 protected:
  UserRepository repo() { return UserRepository(db(), clock_.fn()); }
  void add_extension(const std::string& number) {
    Extension e;
    e.number = number;
    ASSERT_TRUE(ExtensionRepository(db(), clock_.fn()).upsert(e).ok());
  }
};

TEST_P(UserRepositoryTest, RolesAreSeeded) {
  auto roles = repo().roles();
  ASSERT_TRUE(roles.ok()) << roles.error().message;
  std::vector<std::string> names;
  for (const auto& r : *roles) {
    names.push_back(r.name);
    EXPECT_FALSE(r.description.empty());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("admin", "operator", "supervisor", "user"));
}

TEST_P(UserRepositoryTest, CreateGetFindList) {
  add_extension("1001");
  User alice = user("alice", "admin");
  alice.extension = "1001";
  auto created = repo().create(alice);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_GT(created->id, 0);
  ASSERT_TRUE(repo().create(user("bob")).ok());

  auto got = repo().get(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->username, "alice");
  EXPECT_EQ(got->display_name, "Display alice");
  EXPECT_EQ(got->password_hash, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
  EXPECT_EQ(got->role, "admin");
  EXPECT_EQ(got->extension, "1001");
  EXPECT_TRUE(got->enabled);
  EXPECT_EQ(to_iso(got->created_at), "2024-03-01T09:00:00.000Z");

  auto bob = repo().find_by_username("bob");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->extension, std::nullopt);  // NULL column
  EXPECT_EQ(repo().find_by_username("carol").error().code, ErrorCode::kNotFound);

  auto all = repo().list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "alice");
  EXPECT_EQ((*all)[1].username, "bob");
}

TEST_P(UserRepositoryTest, DuplicateUsernameIsAlreadyExists) {
  ASSERT_TRUE(repo().create(user("alice")).ok());
  auto again = repo().create(user("alice", "operator"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(UserRepositoryTest, UnknownRoleIsRejected) {
  auto r = repo().create(user("mallory", "superuser"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("unknown role 'superuser'"));
}

TEST_P(UserRepositoryTest, UnknownExtensionIsRejected) {
  User u = user("alice");
  u.extension = "4242";
  auto r = repo().create(u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(UserRepositoryTest, UpdateChangesFieldsAndStamp) {
  auto created = repo().create(user("alice"));
  ASSERT_TRUE(created.ok());
  clock_.now += std::chrono::minutes(5);
  User changed = *created;
  changed.role = "supervisor";
  changed.enabled = false;
  changed.display_name = "Alice A.";
  auto updated = repo().update(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->role, "supervisor");
  EXPECT_FALSE(updated->enabled);
  EXPECT_EQ(updated->display_name, "Alice A.");
  EXPECT_EQ(updated->created_at, created->created_at);
  EXPECT_EQ(to_iso(updated->updated_at), "2024-03-01T09:05:00.000Z");

  changed.role = "root";
  EXPECT_EQ(repo().update(changed).error().code, ErrorCode::kInvalidArgument);
  changed.role = "user";
  changed.id = 9999;
  EXPECT_EQ(repo().update(changed).error().code, ErrorCode::kNotFound);
}

TEST_P(UserRepositoryTest, RemoveDeletes) {
  auto created = repo().create(user("alice"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(repo().remove(created->id).ok());
  EXPECT_EQ(repo().get(created->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo().remove(created->id).error().code, ErrorCode::kNotFound);
}

TEST_P(UserRepositoryTest, DeletingTheExtensionDetachesTheUser) {
  add_extension("1001");
  User u = user("alice");
  u.extension = "1001";
  auto created = repo().create(u);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(ExtensionRepository(db(), clock_.fn()).remove("1001").ok());
  auto got = repo().get(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->extension, std::nullopt);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(UserRepositoryTest);

}  // namespace
}  // namespace switchboard::store
