//! The role mutations: each parses its input, calls the service and answers its own payload.

use async_graphql::{Context, ID, Object};

use super::super::service;
use super::input::{
    AddSkillRequirementInput, ChangeRoleStatusInput, CreateRoleInput, SetRoleRequirementsInput, UpdateRoleInput,
    UpdateSkillRequirementInput, parse_requirements,
};
use super::types::{
    AddSkillRequirementPayload, ChangeRoleStatusPayload, CreateRolePayload, DeleteRolePayload,
    RemoveSkillRequirementPayload, SetRoleRequirementsPayload, UpdateRolePayload, UpdateSkillRequirementPayload,
};
use crate::auth::permissions::{Permission, Require};
use crate::graphql::context::{request, viewer};
use crate::graphql::ids;

/// Mutations of roles and their requirements.
#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a role with its requirements in one transaction.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn create_role(&self, ctx: &Context<'_>, input: CreateRoleInput) -> async_graphql::Result<CreateRolePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = match input.parse(&request.db, request.skill_scope).await {
            Ok(role) => service::create(&request.db, viewer, role).await,
            Err(error) => Err(error),
        };
        CreateRolePayload::from_outcome(outcome)
    }

    /// Changes the given fields of a role; with `expectedVersion`, a stale update is refused.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn update_role(&self, ctx: &Context<'_>, input: UpdateRoleInput) -> async_graphql::Result<UpdateRolePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let expected_version = input.expected_version;
        let outcome = async {
            let id = ids::decode("Role", &input.id, "input.id")?;
            service::update(&request.db, viewer, id, input.changes()?, expected_version).await
        };
        UpdateRolePayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Role", "input.id")])))
    }

    /// Replaces all requirements of a role at once.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn set_role_requirements(
        &self,
        ctx: &Context<'_>,
        input: SetRoleRequirementsInput,
    ) -> async_graphql::Result<SetRoleRequirementsPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("Role", &input.role_id, "input.roleId")?;
            let requirements =
                parse_requirements(&request.db, request.skill_scope, &input.requirements, "input.requirements").await?;
            service::set_requirements(&request.db, viewer, id, &requirements, input.expected_version).await
        };
        SetRoleRequirementsPayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Role", "input.roleId")])))
    }

    /// Adds one requirement to a role.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn add_skill_requirement(
        &self,
        ctx: &Context<'_>,
        input: AddSkillRequirementInput,
    ) -> async_graphql::Result<AddSkillRequirementPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("Role", &input.role_id, "input.roleId")?;
            let requirement =
                input.requirement.parse_one(&request.db, request.skill_scope, "input.requirement").await?;
            service::add_requirement(&request.db, viewer, id, &requirement).await
        };
        AddSkillRequirementPayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Role", "input.roleId")])))
    }

    /// Changes one requirement.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn update_skill_requirement(
        &self,
        ctx: &Context<'_>,
        input: UpdateSkillRequirementInput,
    ) -> async_graphql::Result<UpdateSkillRequirementPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("SkillRequirement", &input.id, "input.id")?;
            service::update_requirement(&request.db, viewer, id, input.changes()?).await
        };
        UpdateSkillRequirementPayload::from_outcome(
            outcome.await.map_err(|e| e.locating(&[("SkillRequirement", "input.id")])),
        )
    }

    /// Removes one requirement; returns its role.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn remove_skill_requirement(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<RemoveSkillRequirementPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            service::remove_requirement(&request.db, viewer, ids::decode("SkillRequirement", &id, "id")?).await
        };
        RemoveSkillRequirementPayload::from_outcome(
            outcome.await.map_err(|e| e.locating(&[("SkillRequirement", "id")])),
        )
    }

    /// Moves a role along its lifecycle; illegal moves are refused with CONFLICT.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn change_role_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeRoleStatusInput,
    ) -> async_graphql::Result<ChangeRoleStatusPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("Role", &input.id, "input.id")?;
            service::change_status(&request.db, viewer, id, input.status.into(), input.expected_version).await
        };
        ChangeRoleStatusPayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Role", "input.id")])))
    }

    /// Deletes a DRAFT role without applications. Any other role is refused (CONFLICT): close
    /// it with `changeRoleStatus` so its history stays.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn delete_role(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<DeleteRolePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async { service::delete(&request.db, viewer, ids::decode("Role", &id, "id")?).await };
        DeleteRolePayload::from_outcome(outcome.await.map(|_| id.clone()).map_err(|e| e.locating(&[("Role", "id")])))
    }
}
