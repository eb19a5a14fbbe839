// Conversions of table constraints (see convert.h).

#include <string>
#include <vector>

#include "server/thrift/convert.h"

namespace almanac::thrift_server {
namespace {

// The fields every struct but SQLForeignKey names alike.
template <typename W>
ConstraintColumn CommonToDomain(const W& in) {
  ConstraintColumn out;
  if (in.__isset.catName) out.catalog = in.catName;
  out.database = in.table_db;
  out.table = in.table_name;
  out.column = in.column_name;
  out.enable = in.enable_cstr;
  out.validate = in.validate_cstr;
  out.rely = in.rely_cstr;
  return out;
}

template <typename W>
W CommonToWire(const ConstraintColumn& in) {
  W out;
  out.__set_catName(in.catalog);
  out.__set_table_db(in.database);
  out.__set_table_name(in.table);
  out.__set_column_name(in.column);
  out.__set_enable_cstr(in.enable);
  out.__set_validate_cstr(in.validate);
  out.__set_rely_cstr(in.rely);
  return out;
}

ConstraintColumn One(const hive::SQLPrimaryKey& in) {
  ConstraintColumn out = CommonToDomain(in);
  out.position = in.key_seq;
  out.name = in.pk_name;
  return out;
}

ConstraintColumn One(const hive::SQLUniqueConstraint& in) {
  ConstraintColumn out = CommonToDomain(in);
  out.position = in.key_seq;
  out.name = in.uk_name;
  return out;
}

ConstraintColumn One(const hive::SQLNotNullConstraint& in) {
  ConstraintColumn out = CommonToDomain(in);
  out.name = in.nn_name;
  return out;
}

ConstraintColumn One(const hive::SQLDefaultConstraint& in) {
  ConstraintColumn out = CommonToDomain(in);
  out.name = in.dc_name;
  out.value = in.default_value;
  return out;
}

ConstraintColumn One(const hive::SQLCheckConstraint& in) {
  ConstraintColumn out = CommonToDomain(in);
  out.name = in.dc_name;
  out.value = in.check_expression;
  return out;
}

ConstraintColumn One(const hive::SQLForeignKey& in) {
  ConstraintColumn out;
  if (in.__isset.catName) out.catalog = in.catName;
  out.database = in.fktable_db;
  out.table = in.fktable_name;
  out.column = in.fkcolumn_name;
  out.position = in.key_seq;
  out.name = in.fk_name;
  out.parent_database = in.pktable_db;
  out.parent_table = in.pktable_name;
  out.parent_column = in.pkcolumn_name;
  out.update_rule = in.update_rule;
  out.delete_rule = in.delete_rule;
  out.enable = in.enable_cstr;
  out.validate = in.validate_cstr;
  out.rely = in.rely_cstr;
  return out;
}

template <typename W>
std::vector<ConstraintColumn> AllToDomain(const std::vector<W>& in) {
  std::vector<ConstraintColumn> out;
  out.reserve(in.size());
  for (const W& one : in) out.push_back(One(one));
  return out;
}

template <typename W, typename Fn>
std::vector<W> AllToWire(const std::vector<ConstraintColumn>& in, Fn one) {
  std::vector<W> out;
  out.reserve(in.size());
  for (const ConstraintColumn& c : in) out.push_back(one(c));
  return out;
}

}  // namespace

std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLPrimaryKey>& in) {
  return AllToDomain(in);
}
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLForeignKey>& in) {
  return AllToDomain(in);
}
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLUniqueConstraint>& in) {
  return AllToDomain(in);
}
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLNotNullConstraint>& in) {
  return AllToDomain(in);
}
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLDefaultConstraint>& in) {
  return AllToDomain(in);
}
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLCheckConstraint>& in) {
  return AllToDomain(in);
}

std::vector<hive::SQLPrimaryKey> PrimaryKeysToWire(const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLPrimaryKey>(in, [](const ConstraintColumn& c) {
    auto out = CommonToWire<hive::SQLPrimaryKey>(c);
    out.__set_key_seq(c.position);
    out.__set_pk_name(c.name);
    return out;
  });
}

std::vector<hive::SQLForeignKey> ForeignKeysToWire(const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLForeignKey>(in, [](const ConstraintColumn& c) {
    hive::SQLForeignKey out;
    out.__set_pktable_db(c.parent_database);
    out.__set_pktable_name(c.parent_table);
    out.__set_pkcolumn_name(c.parent_column);
    out.__set_fktable_db(c.database);
    out.__set_fktable_name(c.table);
    out.__set_fkcolumn_name(c.column);
    out.__set_key_seq(c.position);
    out.__set_update_rule(c.update_rule);
    out.__set_delete_rule(c.delete_rule);
    out.__set_fk_name(c.name);
    out.__set_pk_name(c.parent_key_name);
    out.__set_enable_cstr(c.enable);
    out.__set_validate_cstr(c.validate);
    out.__set_rely_cstr(c.rely);
    out.__set_catName(c.catalog);
    return out;
  });
}

std::vector<hive::SQLUniqueConstraint> UniqueConstraintsToWire(
    const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLUniqueConstraint>(in, [](const ConstraintColumn& c) {
    auto out = CommonToWire<hive::SQLUniqueConstraint>(c);
    out.__set_key_seq(c.position);
    out.__set_uk_name(c.name);
    return out;
  });
}

std::vector<hive::SQLNotNullConstraint> NotNullConstraintsToWire(
    const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLNotNullConstraint>(in, [](const ConstraintColumn& c) {
    auto out = CommonToWire<hive::SQLNotNullConstraint>(c);
    out.__set_nn_name(c.name);
    return out;
  });
}

std::vector<hive::SQLDefaultConstraint> DefaultConstraintsToWire(
    const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLDefaultConstraint>(in, [](const ConstraintColumn& c) {
    auto out = CommonToWire<hive::SQLDefaultConstraint>(c);
    out.__set_default_value(c.value);
    out.__set_dc_name(c.name);
    return out;
  });
}

std::vector<hive::SQLCheckConstraint> CheckConstraintsToWire(
    const std::vector<ConstraintColumn>& in) {
  return AllToWire<hive::SQLCheckConstraint>(in, [](const ConstraintColumn& c) {
    auto out = CommonToWire<hive::SQLCheckConstraint>(c);
    out.__set_check_expression(c.value);
    out.__set_dc_name(c.name);
    return out;
  });
}

hive::SQLAllTableConstraints ToWire(const TableConstraints& in) {
  hive::SQLAllTableConstraints out;
  out.__set_primaryKeys(PrimaryKeysToWire(in.primary_keys));
  out.__set_foreignKeys(ForeignKeysToWire(in.foreign_keys));
  out.__set_uniqueConstraints(UniqueConstraintsToWire(in.unique_constraints));
  out.__set_notNullConstraints(NotNullConstraintsToWire(in.not_null_constraints));
  out.__set_defaultConstraints(DefaultConstraintsToWire(in.default_constraints));
  out.__set_checkConstraints(CheckConstraintsToWire(in.check_constraints));
  return out;
}

}  // namespace almanac::thrift_server
