-- Argo CD health of FlockTrainingNode and FlockValidator (flock.io/v1alpha1).
-- Register it for both kinds in argocd-cm:
--   resource.customizations.health.flock.io_FlockTrainingNode: |  (this file)
--   resource.customizations.health.flock.io_FlockValidator: |      (this file)
-- It reads the kstatus conditions the operator writes (Ready, Reconciling, Stalled) and the phase, never
-- free text, and trusts them only for the generation the operator has observed.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then return nil end
  for _, c in ipairs(conditions) do
    if c.type == type then return c end
  end
  return nil
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: the operator is closing the worker and its leases"
  return hs
end

if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile the resource"
  return hs
end

if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end

local conditions = obj.status.conditions
local ready = condition(conditions, "Ready")
local stalled = condition(conditions, "Stalled")
local reconciling = condition(conditions, "Reconciling")
local phase = obj.status.phase

if phase == "Suspended" or (ready ~= nil and ready.reason == "Suspended") then
  hs.status = "Suspended"
  hs.message = (ready ~= nil and ready.message) or "Suspended by spec.suspend"
  return hs
end

if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.reason .. ": " .. (stalled.message or "")
  return hs
end

if phase == "Degraded" then
  local taskOpen = condition(conditions, "TaskOpen")
  hs.status = "Degraded"
  hs.message = (taskOpen ~= nil and taskOpen.status ~= "True" and taskOpen.message) or
    ((taskOpen ~= nil and taskOpen.message) or "The worker runs but a dependency is failing")
  return hs
end

if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = reconciling.reason .. ": " .. (reconciling.message or "")
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = ready.reason .. ": " .. (ready.message or "")
else
  hs.message = "Waiting for the Ready condition"
end
return hs
